package dev.orch.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.orch.manifest.Protocol;
import dev.orch.manifest.RouteSpec;
import dev.orch.state.Color;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocket;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the route does besides switching, against real backend processes. */
class RouteFeaturesIT {
    private static final long HUNDRED_MB = 100L * 1024 * 1024;
    private static Path logs;
    private static ChildJvm blue;
    private static ChildJvm green;
    private static Backend blue1;
    private static Backend blue2;
    private static Backend blueTcp;
    private static Backend green1;

    private Vertx vertx;
    private VertxRouter router;
    private final Recorder metrics = new Recorder();

    /** Remembers every hook call as a line of text. */
    static final class Recorder implements RouteMetrics {
        final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        final AtomicLong bytesIn = new AtomicLong();
        final AtomicLong bytesOut = new AtomicLong();

        @Override
        public void requestStarted(String app, Color color) {
            events.add("start " + app + " " + color);
        }

        @Override
        public void requestEnded(String app, Color color, int status, long nanos, long in, long out) {
            events.add("end " + app + " " + color + " " + (status / 100) + "xx");
            bytesIn.addAndGet(in);
            bytesOut.addAndGet(out);
        }

        @Override
        public void rejectedNoTarget(String app) {
            events.add("rejected " + app);
        }

        @Override
        public void connectionOpened(String app, Color color) {
            events.add("open " + app + " " + color);
        }

        @Override
        public void connectionClosed(String app, Color color, long nanos, long in, long out) {
            events.add("close " + app + " " + color + " " + in + " " + out);
        }
    }

    @BeforeAll
    static void startBackends() throws Exception {
        logs = Files.createDirectories(Path.of("target", "route-it"));
        int b1 = ChildJvm.freePort(), b2 = ChildJvm.freePort(), bt = ChildJvm.freePort(), g1 = ChildJvm.freePort();
        blue = ChildJvm.start(logs, List.of("-Xmx128m"), ColorBackendMain.class, "blue", "" + bt, "" + b1, "" + b2);
        green = ChildJvm.start(logs, List.of("-Xmx96m"), ColorBackendMain.class, "green", "0", "" + g1);
        blue1 = new Backend("127.0.0.1", b1);
        blue2 = new Backend("127.0.0.1", b2);
        blueTcp = new Backend("127.0.0.1", bt);
        green1 = new Backend("127.0.0.1", g1);
    }

    @AfterAll
    static void stopBackends() throws Exception {
        if (blue != null) {
            blue.close();
        }
        if (green != null) {
            green.close();
        }
    }

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        router = new VertxRouter(vertx, metrics, new RouterOptions(2, 16, 2_000));
    }

    @AfterEach
    void tearDown() {
        router.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private RouteHandle openHttp() throws Exception {
        return router.open("web", new RouteSpec(ChildJvm.freePort(), Protocol.HTTP, "127.0.0.1", null, 5));
    }

    @Test
    void withoutALiveColorHttpAnswers503AtOnce() throws Exception {
        RouteHandle route = openHttp();
        assertThat(route.live()).isEmpty();
        try (MiniHttp http = new MiniHttp(route.port())) {
            CompletableFuture<MiniHttp.Response> r = CompletableFuture.supplyAsync(() -> {
                try {
                    return http.get("/");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // A bound, not a benchmark: a hanging route would never answer.
            MiniHttp.Response response = r.get(5, TimeUnit.SECONDS);
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.headers()).containsEntry("retry-after", "1");
            assertThat(response.body()).contains("no live color for app web");
            // The connection stays usable and serves as soon as a color is live.
            route.switchTo(Color.GREEN, List.of(green1));
            assertThat(http.get("/").body()).startsWith("green@");
        }
        assertThat(metrics.events).contains("rejected web");
    }

    @Test
    void withoutALiveColorTcpClosesConnectionsAtOnce() throws Exception {
        RouteHandle route = router.open("db", new RouteSpec(ChildJvm.freePort(), Protocol.TCP, "127.0.0.1", null, 5));
        try (Socket s = new Socket("127.0.0.1", route.port())) {
            s.setSoTimeout(5_000); // a hanging route makes read() throw instead of returning -1
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
        route.switchTo(Color.BLUE, List.of(blueTcp));
        try (Socket s = new Socket("127.0.0.1", route.port())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write("x\n".getBytes(StandardCharsets.UTF_8));
            assertThat(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine())
                    .isEqualTo(blueTcp.toString().replace("127.0.0.1:", "blue@") + ":x");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.events.contains("close db blue 2 " + ("blue@" + blueTcp.port() + ":x\n").length()));
        assertThat(metrics.events).contains("rejected db", "open db blue");
    }

    @Test
    void replicasOfTheLiveColorTakeTurns() throws Exception {
        RouteHandle route = openHttp();
        route.switchTo(Color.BLUE, List.of(blue1, blue2));
        List<String> seen = new ArrayList<>();
        try (MiniHttp http = new MiniHttp(route.port())) {
            for (int i = 0; i < 10; i++) {
                seen.add(http.get("/").body());
            }
        }
        String a = "blue@" + blue1.port();
        String b = "blue@" + blue2.port();
        assertThat(seen).containsOnly(a, b);
        for (int i = 1; i < seen.size(); i++) {
            assertThat(seen.get(i)).isNotEqualTo(seen.get(i - 1));
        }
        // The hook runs just after the last byte is written, so the last call may trail the client a little.
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.events.stream().filter(e -> e.equals("end web blue 2xx")).count() == 10);
        assertThat(metrics.events.stream().filter(e -> e.equals("start web blue"))).hasSize(10);
    }

    @Test
    void forwardedHeadersAreAddedAndHopByHopHeadersDropped() throws Exception {
        RouteHandle route = openHttp();
        route.switchTo(Color.BLUE, List.of(blue1));
        try (MiniHttp http = new MiniHttp(route.port())) {
            MiniHttp.Response r = http.exchange("GET", "/headers?q=1", null,
                    Map.of("X-Forwarded-For", "10.1.2.3", "Connection", "keep-alive, X-Secret", "X-Secret", "s", "X-App", "kept"));
            assertThat(r.body().lines().toList()).contains(
                    "x-forwarded-for: 10.1.2.3, 127.0.0.1",
                    "x-forwarded-proto: http",
                    "x-forwarded-host: localhost:" + route.port(),
                    "host: localhost:" + route.port(),
                    "x-app: kept");
            assertThat(r.body()).doesNotContain("x-secret").doesNotContain("connection:");
            assertThat(r.headers()).containsEntry("x-backend", "blue@" + blue1.port());
        }
    }

    /** Writes a request exactly as given (what an HTTP client library would not send) and returns the answer's reader. */
    private static BufferedReader rawRequest(Socket s, int timeoutMillis, String request) throws IOException {
        s.setSoTimeout(timeoutMillis);
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
    }

    @Test
    void anH2cUpgradeRequestIsServedAsPlainHttp11() throws Exception {
        // java.net.http's default: the first request of a connection offers an h2c upgrade. The route declines
        // (as nginx does) and forwards it as an ordinary HTTP/1.1 request, on the same connection.
        RouteHandle route = openHttp();
        route.switchTo(Color.BLUE, List.of(blue1));
        try (Socket s = new Socket("127.0.0.1", route.port())) {
            BufferedReader in = rawRequest(s, 5_000, "GET /headers HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n");
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        }
        var client = java.net.http.HttpClient.newHttpClient(); // HTTP/2 preferred: falls back to HTTP/1.1
        var r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + route.port() + "/headers")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
        assertThat(r.body()).doesNotContain("upgrade:").doesNotContain("http2-settings:");
    }

    @Test
    void aHundredMegabytesStreamBothWaysThroughARouteWithASmallHeap() throws Exception {
        // The route runs in its own JVM with 48 MB of heap and 32 MB of direct memory: a route that
        // buffered a whole body would fail with OutOfMemoryError instead of passing 100 MB through.
        int port = ChildJvm.freePort();
        try (ChildJvm route = ChildJvm.start(logs, List.of("-Xmx48m", "-XX:MaxDirectMemorySize=32m", "-XX:+ExitOnOutOfMemoryError"),
                RouteBenchMain.class, "" + port, "http", "1", blue1.toString())) {
            HttpURLConnection up = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/upload").toURL().openConnection();
            up.setConnectTimeout(10_000);
            up.setReadTimeout(30_000); // a route that died or hangs fails the test instead of blocking it
            up.setDoOutput(true);
            up.setRequestMethod("POST");
            up.setFixedLengthStreamingMode(HUNDRED_MB);
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[64 * 1024];
            try (OutputStream out = up.getOutputStream()) {
                for (long n = 0; n < HUNDRED_MB; n += chunk.length) {
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = (byte) (n / chunk.length + i * 31);
                    }
                    sent.update(chunk);
                    out.write(chunk);
                }
            }
            assertThat(up.getResponseCode()).isEqualTo(200);
            String answer = new String(up.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).isEqualTo(HexFormat.of().formatHex(sent.digest()) + " " + HUNDRED_MB + " blue@" + blue1.port());

            HttpURLConnection down = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/download?bytes=" + HUNDRED_MB)
                    .toURL().openConnection();
            down.setConnectTimeout(10_000);
            down.setReadTimeout(30_000);
            long received = 0;
            boolean intact = true;
            try (InputStream in = down.getInputStream()) {
                byte[] buf = new byte[64 * 1024];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    for (int i = 0; i < n && intact; i++) {
                        intact = buf[i] == (byte) ((received + i) % 251);
                    }
                    received += n;
                }
            }
            assertThat(received).isEqualTo(HUNDRED_MB);
            assertThat(intact).isTrue();
            assertThat(route.isAlive()).isTrue();
            assertThat(Files.readString(logs.resolve("RouteBenchMain-" + port + "-http-1-127_0_0_1_" + blue1.port() + ".err")))
                    .doesNotContain("OutOfMemoryError");
        }
    }

    @Test
    void uploadedBytesReachTheMetricsHooks() throws Exception {
        RouteHandle route = openHttp();
        route.switchTo(Color.BLUE, List.of(blue1));
        long size = 20L * 1024 * 1024;
        try (MiniHttp http = new MiniHttp(route.port())) {
            byte[] body = new byte[(int) size];
            MiniHttp.Response r = http.exchange("POST", "/upload", body, Map.of());
            assertThat(r.body()).endsWith(" " + size + " blue@" + blue1.port());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> metrics.bytesIn.get() == size);
    }

    @Test
    void serverSentEventsPassThroughAsTheyAreWritten() throws Exception {
        RouteHandle route = openHttp();
        route.switchTo(Color.BLUE, List.of(blue1));
        // The backend's event stream never ends: only a streaming route lets the client see events.
        try (Socket s = new Socket("127.0.0.1", route.port())) {
            BufferedReader in = rawRequest(s, 10_000, "GET /sse HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n");
            List<String> events = new ArrayList<>();
            boolean eventStream = false;
            for (String line = in.readLine(); line != null && events.size() < 3; line = in.readLine()) {
                eventStream |= line.equalsIgnoreCase("content-type: text/event-stream");
                if (line.startsWith("data: ")) {
                    events.add(line);
                }
            }
            assertThat(eventStream).isTrue();
            assertThat(events).containsExactly("data: blue@" + blue1.port() + " 0", "data: blue@" + blue1.port() + " 1",
                    "data: blue@" + blue1.port() + " 2");
        }
    }

    @Test
    void websocketsAreUpgradedAndStayOnTheirColorAfterASwitch() throws Exception {
        RouteHandle route = openHttp();
        route.switchTo(Color.BLUE, List.of(blue1));
        HttpClient client = vertx.createHttpClient();
        ConcurrentLinkedQueue<String> onBlue = new ConcurrentLinkedQueue<>();
        WebSocket ws = client.webSocket(route.port(), "127.0.0.1", "/ws").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ws.textMessageHandler(onBlue::add);
        ws.writeTextMessage("hello");
        await().atMost(Duration.ofSeconds(5)).until(() -> onBlue.contains("blue@" + blue1.port() + ":hello"));
        assertThat(route.inFlight(Color.BLUE)).isEqualTo(1);

        route.switchTo(Color.GREEN, List.of(green1));
        ws.writeTextMessage("still");
        await().atMost(Duration.ofSeconds(5)).until(() -> onBlue.contains("blue@" + blue1.port() + ":still"));
        ConcurrentLinkedQueue<String> onGreen = new ConcurrentLinkedQueue<>();
        WebSocket ws2 = client.webSocket(route.port(), "127.0.0.1", "/ws").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ws2.textMessageHandler(onGreen::add);
        ws2.writeTextMessage("new");
        await().atMost(Duration.ofSeconds(5)).until(() -> onGreen.contains("green@" + green1.port() + ":new"));
        ws.close();
        ws2.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> route.inFlight(Color.BLUE) == 0 && route.inFlight(Color.GREEN) == 0);
        assertThat(metrics.events).contains("open web blue", "open web green", "end web blue 1xx");
    }

    @Test
    void thePreviewListenerFollowsTheIdleColor() throws Exception {
        int previewPort = ChildJvm.freePort();
        RouteHandle route = router.open("web",
                new RouteSpec(ChildJvm.freePort(), Protocol.HTTP, "127.0.0.1", previewPort, 5));
        assertThat(route.previewPort()).contains(previewPort);
        route.switchTo(Color.BLUE, List.of(blue1));
        try (MiniHttp main = new MiniHttp(route.port()); MiniHttp preview = new MiniHttp(previewPort)) {
            MiniHttp.Response none = preview.get("/");
            assertThat(none.status()).isEqualTo(503);
            assertThat(none.body()).contains("no idle (preview) color");

            route.setIdle(Color.GREEN, List.of(green1));
            assertThat(route.idle()).contains(Color.GREEN);
            assertThat(preview.get("/").body()).startsWith("green@");
            assertThat(main.get("/").body()).startsWith("blue@");

            route.switchTo(Color.GREEN, List.of(green1));
            assertThat(main.get("/").body()).startsWith("green@");
            assertThat(preview.get("/").body()).as("the old live color is now the idle one").startsWith("blue@");
            assertThat(route.idle()).contains(Color.BLUE);

            assertThatThrownBy(() -> route.setIdle(Color.GREEN, List.of(green1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("green is the live color of web");
            route.setIdle(Color.BLUE, List.of());
            assertThat(preview.get("/").status()).isEqualTo(503);
        }
    }

    @Test
    void aPortInUseIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> router.open("web", new RouteSpec(port, Protocol.HTTP, "127.0.0.1", null, 5)))
                    .isInstanceOf(RouteBindException.class)
                    .hasMessage("route of app web cannot listen on 127.0.0.1:" + port
                            + ": address already in use (another process listens there)");
        }
        int port = ChildJvm.freePort();
        router.open("web", new RouteSpec(port, Protocol.HTTP, "127.0.0.1", null, 5));
        assertThatThrownBy(() -> router.open("api", new RouteSpec(port, Protocol.TCP, "127.0.0.1", null, 5)))
                .isInstanceOf(RouteBindException.class)
                .hasMessage("route of app api cannot listen on 127.0.0.1:" + port + ": port already in use by the route of app web");
        // A failed open leaves nothing behind: the port is free again once web's route closes.
        router.close();
        RouteHandle again = router.open("api", new RouteSpec(port, Protocol.TCP, "127.0.0.1", null, 5));
        assertThat(again.port()).isEqualTo(port);
    }
}
