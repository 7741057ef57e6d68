package dev.orch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real sockets and real processes: an HTTP server on loopback, closed ports, /bin/sh commands. */
class ProbeExecutorTest {
    static Vertx vertx;
    static HttpServer server;
    static ProbeExecutor probes;
    static volatile String lastProbeHeader;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> {
            lastProbeHeader = req.getHeader("X-Probe");
            switch (req.path()) {
                case "/ok" -> req.response().end("fine");
                case "/redirect" -> req.response().setStatusCode(302).putHeader("Location", "/ok").end();
                case "/broken" -> req.response().setStatusCode(503).end();
                case "/hang" -> { } // never answers
                default -> req.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        probes = new ProbeExecutor(vertx);
    }

    @AfterAll
    static void stop() {
        probes.close();
        vertx.close();
    }

    ProbeResult run(dev.orch.manifest.Probe p, int port) throws Exception {
        return probes.run(p, ProbeTarget.local(port), Map.of("PORT", Integer.toString(port)))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void httpGetPassesOn2xxAnd3xxAndSendsHeaders() throws Exception {
        assertThat(run(Probes.http("/ok", 1), server.actualPort()).ok()).isTrue();
        assertThat(lastProbeHeader).isEqualTo("yes");
        assertThat(run(Probes.http("/redirect", 1), server.actualPort()).ok()).isTrue();
    }

    @Test
    void httpGetFailsOnErrorStatusTimeoutAndRefusedConnection() throws Exception {
        ProbeResult broken = run(Probes.http("/broken", 1), server.actualPort());
        assertThat(broken.ok()).isFalse();
        assertThat(broken.message()).contains("HTTP status 503");

        long t0 = System.nanoTime();
        ProbeResult hang = run(Probes.http("/hang", 1), server.actualPort());
        assertThat(hang.ok()).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).as("bounded by timeoutSeconds").isLessThan(10);

        assertThat(run(Probes.http("/ok", 1), closedPort()).ok()).isFalse();
    }

    @Test
    void tcpSocketPassesWhenAConnectionOpens() throws Exception {
        assertThat(run(Probes.tcp(), server.actualPort()).ok()).isTrue();
        ProbeResult closed = run(Probes.tcp(), closedPort());
        assertThat(closed.ok()).isFalse();
        assertThat(closed.message()).startsWith("tcp 127.0.0.1:");
    }

    @Test
    void execPassesOnExitZeroAndSeesThePort() throws Exception {
        assertThat(run(Probes.exec(5, "/bin/sh", "-c", "test \"$PORT\" = 4242"), 4242).ok()).isTrue();
        ProbeResult failed = run(Probes.exec(5, "/bin/sh", "-c", "echo not ready; exit 3"), 4242);
        assertThat(failed.ok()).isFalse();
        assertThat(failed.message()).isEqualTo("exec /bin/sh: exit 3: not ready");
        ProbeResult slow = run(Probes.exec(1, "/bin/sleep", "30"), 4242);
        assertThat(slow.ok()).isFalse();
        assertThat(slow.message()).contains("timed out");
        assertThat(run(Probes.exec(1, "/nonexistent/binary"), 4242).ok()).isFalse();
    }

    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
