package dev.orch.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.manifest.Protocol;
import dev.orch.manifest.RouteSpec;
import dev.orch.state.Color;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Switches colors many times under continuous load, against two backend processes (blue and green),
 * and checks that nothing fails and nothing sent after a switch reaches the old color.
 */
class RouteSwitchIT {
    private static final int SWITCHES = 60;
    private static ChildJvm blue;
    private static ChildJvm green;
    private static Backend blueHttp;
    private static Backend greenHttp;
    private static Backend blueTcp;
    private static Backend greenTcp;

    private Vertx vertx;
    private VertxRouter router;

    @BeforeAll
    static void startBackends() throws Exception {
        Path logs = Files.createDirectories(Path.of("target", "route-it"));
        int bh = ChildJvm.freePort(), bt = ChildJvm.freePort(), gh = ChildJvm.freePort(), gt = ChildJvm.freePort();
        blue = ChildJvm.start(logs, List.of("-Xmx96m"), ColorBackendMain.class, "blue", "" + bt, "" + bh);
        green = ChildJvm.start(logs, List.of("-Xmx96m"), ColorBackendMain.class, "green", "" + gt, "" + gh);
        blueHttp = new Backend("127.0.0.1", bh);
        greenHttp = new Backend("127.0.0.1", gh);
        blueTcp = new Backend("127.0.0.1", bt);
        greenTcp = new Backend("127.0.0.1", gt);
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
        router = new VertxRouter(vertx, RouteMetrics.NOOP, new RouterOptions(2, 64, 2_000));
    }

    @AfterEach
    void tearDown() {
        router.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static String colorOf(String body) {
        return body.substring(0, body.indexOf('@'));
    }

    @Test
    void httpSwitchesUnderLoadLoseNothingAndNewRequestsHitTheNewColor() throws Exception {
        RouteHandle route = router.open("web", new RouteSpec(ChildJvm.freePort(), Protocol.HTTP, "127.0.0.1", null, 10));
        route.switchTo(Color.BLUE, List.of(blueHttp));
        SwitchLog log = new SwitchLog(Color.BLUE);
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong ok = new AtomicLong();
        AtomicLong strict = new AtomicLong();
        int clients = 6;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> loads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int kind = c % 3;
            loads.add(pool.submit(() -> {
                try (MiniHttp http = new MiniHttp(route.port())) {
                    byte[] body = "hello".repeat(200).getBytes(StandardCharsets.UTF_8);
                    while (running.get()) {
                        long sent = System.nanoTime();
                        MiniHttp.Response r = switch (kind) {
                            case 0 -> http.get("/");
                            case 1 -> http.get("/?delay=15"); // in flight across switches
                            default -> http.exchange("POST", "/", body, Map.of("Content-Type", "text/plain"));
                        };
                        long received = System.nanoTime();
                        if (r.status() != 200) {
                            failures.add("status " + r.status() + ": " + r.body());
                            continue;
                        }
                        String problem = log.check(colorOf(r.body()), sent, received);
                        if (problem != null) {
                            failures.add(problem);
                        }
                        if (log.strict(sent, received)) {
                            strict.incrementAndGet();
                        }
                        ok.incrementAndGet();
                    }
                } catch (Exception e) {
                    failures.add("client failed: " + e);
                }
                return null;
            }));
        }
        Thread.sleep(300);
        Color color = Color.BLUE;
        for (int i = 0; i < SWITCHES; i++) {
            color = color.other();
            int logged = log.switching(color, System.nanoTime());
            route.switchTo(color, List.of(color == Color.BLUE ? blueHttp : greenHttp));
            log.returned(logged, System.nanoTime());
            Thread.sleep(60);
        }
        Thread.sleep(200);
        running.set(false);
        for (Future<?> f : loads) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdownNow();

        System.out.printf("http: %d switches, %d requests ok, %d with exactly one acceptable color, failures %s%n",
                log.count(), ok.get(), strict.get(), failures);
        assertThat(log.count()).isGreaterThanOrEqualTo(50);
        assertThat(failures).isEmpty();
        assertThat(ok.get()).isGreaterThan(1000);
        assertThat(strict.get()).as("requests that had exactly one acceptable color").isGreaterThan(500);
        await().atMost(Duration.ofSeconds(15)).until(() -> route.inFlight(Color.BLUE) + route.inFlight(Color.GREEN) == 0);
    }

    @Test
    void tcpSwitchesKeepExistingConnectionsAndSendNewOnesToTheNewColor() throws Exception {
        RouteHandle route = router.open("db", new RouteSpec(ChildJvm.freePort(), Protocol.TCP, "127.0.0.1", null, 60));
        route.switchTo(Color.BLUE, List.of(blueTcp));
        SwitchLog log = new SwitchLog(Color.BLUE);
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicLong newConnections = new AtomicLong();
        AtomicLong strict = new AtomicLong();
        AtomicLong longLivedLines = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> loads = new ArrayList<>();
        // Long-lived connections opened on blue must stay on blue through every switch.
        for (int c = 0; c < 2; c++) {
            loads.add(pool.submit(() -> {
                try (Socket s = new Socket("127.0.0.1", route.port())) {
                    s.setSoTimeout(10_000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    OutputStream out = s.getOutputStream();
                    for (int n = 0; running.get(); n++) {
                        out.write(("ping" + n + "\n").getBytes(StandardCharsets.UTF_8));
                        String reply = in.readLine();
                        if (reply == null || !reply.startsWith("blue@") || !reply.endsWith(":ping" + n)) {
                            failures.add("long-lived connection got " + reply);
                            return null;
                        }
                        longLivedLines.incrementAndGet();
                        Thread.sleep(5);
                    }
                } catch (Exception e) {
                    failures.add("long-lived connection failed: " + e);
                }
                return null;
            }));
        }
        // Short connections: one line each; the color is chosen when the connection opens.
        for (int c = 0; c < 4; c++) {
            loads.add(pool.submit(() -> {
                while (running.get()) {
                    long sent = System.nanoTime();
                    try (Socket s = new Socket("127.0.0.1", route.port())) {
                        s.setSoTimeout(10_000);
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                        s.getOutputStream().write("hi\n".getBytes(StandardCharsets.UTF_8));
                        String reply = in.readLine();
                        long received = System.nanoTime();
                        if (reply == null) {
                            failures.add("short connection closed without a reply");
                            continue;
                        }
                        String problem = log.check(colorOf(reply), sent, received);
                        if (problem != null) {
                            failures.add(problem);
                        }
                        if (log.strict(sent, received)) {
                            strict.incrementAndGet();
                        }
                        newConnections.incrementAndGet();
                    } catch (Exception e) {
                        failures.add("short connection failed: " + e);
                    }
                }
                return null;
            }));
        }
        Thread.sleep(300);
        Color color = Color.BLUE;
        for (int i = 0; i < SWITCHES; i++) {
            color = color.other();
            int logged = log.switching(color, System.nanoTime());
            route.switchTo(color, List.of(color == Color.BLUE ? blueTcp : greenTcp));
            log.returned(logged, System.nanoTime());
            Thread.sleep(60);
        }
        running.set(false);
        for (Future<?> f : loads) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdownNow();

        System.out.printf("tcp: %d switches, %d new connections, %d strict, %d lines on long-lived ones, failures %s%n",
                log.count(), newConnections.get(), strict.get(), longLivedLines.get(), failures);
        assertThat(failures).isEmpty();
        assertThat(newConnections.get()).isGreaterThan(300);
        assertThat(strict.get()).isGreaterThan(150);
        assertThat(longLivedLines.get()).isGreaterThan(100);
    }

    @Test
    void tcpDrainTimeoutClosesConnectionsLeftOnTheOldColor() throws Exception {
        RouteHandle route = router.open("db", new RouteSpec(0, Protocol.TCP, "127.0.0.1", null, 1));
        route.switchTo(Color.BLUE, List.of(blueTcp));
        try (Socket old = new Socket("127.0.0.1", route.port())) {
            old.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(old.getInputStream(), StandardCharsets.UTF_8));
            old.getOutputStream().write("a\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("blue@");

            route.switchTo(Color.GREEN, List.of(greenTcp));
            old.getOutputStream().write("b\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).as("still on blue while draining").startsWith("blue@").endsWith(":b");
            assertThat(route.inFlight(Color.BLUE)).isEqualTo(1);
            try (Socket fresh = new Socket("127.0.0.1", route.port())) {
                fresh.setSoTimeout(10_000);
                fresh.getOutputStream().write("c\n".getBytes(StandardCharsets.UTF_8));
                assertThat(new BufferedReader(new InputStreamReader(fresh.getInputStream(), StandardCharsets.UTF_8)).readLine())
                        .startsWith("green@");
            }
            // The drain timeout (1 s) closes the old connection: the next read sees the end of stream.
            long start = System.nanoTime();
            assertThat(in.readLine()).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(9));
            await().atMost(Duration.ofSeconds(5)).until(() -> route.inFlight(Color.BLUE) == 0);
        }
    }

    @Test
    void httpRequestsInFlightFinishOnTheOldColorWithinTheDrainTimeout() throws Exception {
        RouteHandle route = router.open("web", new RouteSpec(0, Protocol.HTTP, "127.0.0.1", null, 10));
        route.switchTo(Color.BLUE, List.of(blueHttp));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (MiniHttp slow = new MiniHttp(route.port()); MiniHttp fast = new MiniHttp(route.port())) {
            Future<MiniHttp.Response> inFlight = pool.submit(() -> slow.get("/?delay=1500"));
            await().atMost(Duration.ofSeconds(5)).until(() -> route.inFlight(Color.BLUE) == 1);
            route.switchTo(Color.GREEN, List.of(greenHttp));
            assertThat(fast.get("/").body()).startsWith("green@");
            MiniHttp.Response r = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).startsWith("blue@");
            // The client's keep-alive connection is not tied to a color: its next request goes to green.
            assertThat(slow.get("/").body()).startsWith("green@");
            await().atMost(Duration.ofSeconds(5)).until(() -> route.inFlight(Color.BLUE) == 0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void httpDrainTimeoutCutsRequestsStillOnTheOldColor() throws Exception {
        List<String> cut = new java.util.concurrent.CopyOnWriteArrayList<>();
        RouteMetrics metrics = new RouteMetrics() {
            @Override
            public void drainTimedOut(String app, Color color, int n) {
                cut.add(app + " " + color + " " + n);
            }
        };
        VertxRouter own = new VertxRouter(vertx, metrics, new RouterOptions(1, 8, 2_000));
        try {
            RouteHandle route = own.open("web", new RouteSpec(0, Protocol.HTTP, "127.0.0.1", null, 1));
            route.switchTo(Color.BLUE, List.of(blueHttp));
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try (MiniHttp slow = new MiniHttp(route.port())) {
                Future<MiniHttp.Response> inFlight = pool.submit(() -> slow.get("/?delay=8000"));
                await().atMost(Duration.ofSeconds(5)).until(() -> route.inFlight(Color.BLUE) == 1);
                route.switchTo(Color.GREEN, List.of(greenHttp));
                MiniHttp.Response r = inFlight.get(7, TimeUnit.SECONDS); // well before the backend's 8 s
                assertThat(r.status()).isEqualTo(502);
                assertThat(cut).containsExactly("web blue 1");
                assertThat(route.inFlight(Color.BLUE)).isZero();
            } finally {
                pool.shutdownNow();
            }
        } finally {
            own.close();
        }
    }
}
