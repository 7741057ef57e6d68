package dev.orch.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Protocol;
import dev.orch.manifest.RouteSpec;
import dev.orch.state.Color;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The route's response timeout and request body limit, over real sockets: a backend that accepts and never
 * answers gets the client a 504 instead of a hang; a body over the limit is a 413 and never reaches the backend.
 */
class RouteLimitsIT {
    private static Vertx vertx;
    private static VertxRouter router;
    private static ServerSocket silent;
    private static final List<Socket> held = new ArrayList<>();
    private static RecordingBackend backend;
    private static RouteHandle mute;
    private static RouteHandle limited;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            try {
                while (true) {
                    Socket s = silent.accept(); // reads nothing, answers nothing
                    synchronized (held) {
                        held.add(s);
                    }
                }
            } catch (IOException e) {
                // closed
            }
        });
        accept.setDaemon(true);
        accept.start();
        backend = new RecordingBackend();
        router = new VertxRouter(vertx, RouteMetrics.NOOP, new RouterOptions(1, 4, 2_000).withLimits(500, 1_000));
        mute = router.open("mute", new RouteSpec(ChildJvm.freePort(), Protocol.HTTP, "127.0.0.1", null, 1));
        mute.switchTo(Color.BLUE, List.of(new Backend("127.0.0.1", silent.getLocalPort())));
        limited = router.open("limited", new RouteSpec(ChildJvm.freePort(), Protocol.HTTP, "127.0.0.1", null, 1));
        limited.switchTo(Color.GREEN, List.of(backend.backend()));
    }

    @AfterAll
    static void stop() throws Exception {
        router.close();
        silent.close();
        backend.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static String send(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                s.getInputStream().transferTo(all);
            } catch (java.net.SocketException e) {
                // reset after the answer: what was read stays
            }
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void aBackendThatAcceptsButNeverAnswersIsA504() throws Exception {
        long t0 = System.nanoTime();
        String r;
        long ms;
        try (Socket s = new Socket("127.0.0.1", mute.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /hang HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            byte[] buf = new byte[4096];
            int n = s.getInputStream().read(buf);
            ms = (System.nanoTime() - t0) / 1_000_000;
            r = new String(buf, 0, Math.max(0, n), StandardCharsets.ISO_8859_1);
        }
        assertThat(r).startsWith("HTTP/1.1 504").contains("orch: blue color of app mute did not answer within 500 ms");
        System.out.printf("504 after %d ms (response timeout 500 ms)%n", ms);
    }

    @Test
    void aBodyOverTheLimitIsA413AndNeverForwarded() throws Exception {
        backend.clear();
        String big = "x".repeat(1_001);
        String r = send(limited.port(), "POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n" + big);
        assertThat(r).startsWith("HTTP/1.1 413").contains("orch: request body larger than 1000 bytes");
        String chunked = "POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "258\r\n" + "y".repeat(600) + "\r\n" + "258\r\n" + "y".repeat(600) + "\r\n0\r\n\r\n";
        assertThat(send(limited.port(), chunked)).as("a chunked body counted as it streams").startsWith("HTTP/1.1 413");
        String ok = send(limited.port(), "POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n" + "z".repeat(1000));
        assertThat(ok).startsWith("HTTP/1.1 200");
        assertThat(backend.seen()).as("only the request within the limit reached the backend").hasSize(1);
    }
}
