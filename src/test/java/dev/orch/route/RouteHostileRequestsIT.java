package dev.orch.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Protocol;
import dev.orch.manifest.RouteSpec;
import dev.orch.state.Color;
import io.vertx.core.Vertx;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Raw bytes over a real socket to a real route with a real backend that records what it received. Every file of
 * {@code route/requests/} is one case: {@code <case>.http} holds the bytes the client sends (file line breaks are
 * not part of them: write {@code \r\n}; escapes {@code \r \n \t \0 \xHH \\}; lines starting with '#' are comments),
 * {@code <case>.expected} the statuses the client reads, whether the route closes the connection after them, and
 * every request the backend saw, in order. The backend pool has one connection, and a last request on a new
 * connection goes after each case, so a request forwarded late would still be seen before it.
 */
class RouteHostileRequestsIT {
    static final Path CORPUS = Path.of("src/test/resources/route/requests");
    private static Vertx vertx;
    private static VertxRouter router;
    private static RecordingBackend backend;
    private static RouteHandle route;
    private static VertxRouter slowRouter;
    private static RouteHandle slowRoute;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        backend = new RecordingBackend();
        router = new VertxRouter(vertx, RouteMetrics.NOOP, new RouterOptions(1, 1, 2_000));
        route = router.open("web", new RouteSpec(ChildJvm.freePort(), Protocol.HTTP, "127.0.0.1", null, 5));
        route.switchTo(Color.BLUE, List.of(backend.backend()));
        // Client timeouts far below what a served request takes (/slow answers after 1 s).
        slowRouter = new VertxRouter(vertx, RouteMetrics.NOOP, new RouterOptions(1, 1, 2_000).withClientTimeouts(300, 300));
        slowRoute = slowRouter.open("slowloris", new RouteSpec(ChildJvm.freePort(), Protocol.HTTP, "127.0.0.1", null, 5));
        slowRoute.switchTo(Color.BLUE, List.of(backend.backend()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (router != null) {
            router.close();
            slowRouter.close();
        }
        if (backend != null) {
            backend.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void clear() {
        backend.clear();
    }

    static Stream<String> corpus() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".http"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList().stream();
        }
    }

    record Expected(List<Integer> statuses, boolean closed, List<String> backend) {
        static Expected read(Path file) throws IOException {
            List<Integer> statuses = List.of();
            boolean closed = false;
            List<String> seen = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.startsWith("status:")) {
                    statuses = Stream.of(line.substring(7).trim().split(" +")).map(Integer::valueOf).toList();
                } else if (line.startsWith("closed:")) {
                    closed = Boolean.parseBoolean(line.substring(7).trim());
                } else if (line.startsWith("backend:")) {
                    seen.add(line.substring(8).trim());
                }
            }
            return new Expected(statuses, closed, seen);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void answersAndForwardsExactlyAsExpected(String name) throws Exception {
        byte[] request = decode(Files.readAllLines(CORPUS.resolve(name + ".http"), StandardCharsets.UTF_8));
        Expected expected = Expected.read(CORPUS.resolve(name + ".expected"));

        List<Integer> statuses = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        boolean closed;
        try (Socket s = new Socket("127.0.0.1", route.port())) {
            s.setSoTimeout(10_000); // a safety net only: every case ends on an answer or a close
            s.getOutputStream().write(request);
            s.getOutputStream().flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            for (int i = 0; i < expected.statuses().size(); i++) {
                Answer a = readAnswer(in);
                statuses.add(a.status());
                if (a.status() >= 400) {
                    refusals.add(a.connection() + " " + a.body());
                }
            }
            closed = expected.closed() && in.read() == -1;
        }
        assertThat(lastRequest()).isEqualTo(200);

        assertThat(statuses).isEqualTo(expected.statuses());
        // a refusal says so and announces the close: "close orch: <reason>\n"
        assertThat(refusals).allSatisfy(r -> assertThat(r).matches("close orch: [^\n]+\n"));
        assertThat(closed).as("connection closed by the route").isEqualTo(expected.closed());
        List<String> seen = new ArrayList<>(expected.backend());
        seen.add("GET /last");
        assertThat(backend.seen()).isEqualTo(seen);
    }

    /** The request after a case, on a connection of its own: through the one pooled backend connection, after the case's. */
    private static int lastRequest() throws IOException {
        try (Socket s = new Socket("127.0.0.1", route.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET /last HTTP/1.1\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            return readResponse(new BufferedInputStream(s.getInputStream()));
        }
    }

    @Test
    void aConnectionThatNeverCompletesItsRequestHeadIsClosed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", slowRoute.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: web\r\nX-Slow".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(backend.seen()).isEmpty();
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws Exception {
        try (Socket s = new Socket("127.0.0.1", slowRoute.port())) {
            s.setSoTimeout(10_000);
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedAndARequestBeingServedIsNot() throws Exception {
        try (Socket s = new Socket("127.0.0.1", slowRoute.port())) {
            s.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            // served for longer than both timeouts: no deadline runs while a request is served
            s.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).isEqualTo(200);
            s.getOutputStream().write("GET /again HTTP/1.1\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).isEqualTo(200);
            assertThat(in.read()).isEqualTo(-1);
        }
        assertThat(backend.seen()).containsExactly("GET /slow", "GET /again");
    }

    /** An upgraded connection is a tunnel: the keep-alive timeout of the HTTP connection it was never applies to it. */
    @Test
    void anUpgradedConnectionOutlivesTheClientTimeouts() throws Exception {
        try (Socket s = new Socket("127.0.0.1", slowRoute.port())) {
            s.setSoTimeout(10_000);
            InputStream in = new BufferedInputStream(s.getInputStream());
            s.getOutputStream().write("GET /upgrade HTTP/1.1\r\nHost: web\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readResponse(in)).isEqualTo(101);
            Thread.sleep(1_000); // idle for longer than both timeouts (300 ms)
            s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(in.readNBytes(4), StandardCharsets.US_ASCII)).isEqualTo("ping");
        }
    }

    record Answer(int status, String connection, String body) {}

    private static int readResponse(InputStream in) throws IOException {
        return readAnswer(in).status();
    }

    /** One response: its status, Connection header and body (read by Content-Length); status -1 at end of stream. */
    private static Answer readAnswer(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            return new Answer(-1, null, "");
        }
        long length = 0;
        String connection = null;
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).trim());
            } else if (lower.startsWith("connection:")) {
                connection = h.substring(11).trim();
            }
        }
        String body = new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
        return new Answer(Integer.parseInt(status.split(" ")[1]), connection, body);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        String l = b.toString(StandardCharsets.ISO_8859_1);
        return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
    }

    /** The corpus escapes: {@code \r \n \t \0 \xHH \\}; line breaks of the file and '#' lines are not sent. */
    static byte[] decode(List<String> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : lines) {
            if (line.startsWith("#")) {
                continue;
            }
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c != '\\') {
                    out.write(c);
                    continue;
                }
                char e = line.charAt(++i);
                switch (e) {
                    case 'r' -> out.write('\r');
                    case 'n' -> out.write('\n');
                    case 't' -> out.write('\t');
                    case '0' -> out.write(0);
                    case '\\' -> out.write('\\');
                    case 'x' -> {
                        out.write(HexFormat.fromHexDigits(line, i + 1, i + 3));
                        i += 2;
                    }
                    default -> throw new IllegalArgumentException("unknown escape \\" + e + " in " + line);
                }
            }
        }
        return out.toByteArray();
    }
}
