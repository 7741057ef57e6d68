package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.HttpLoad;
import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.SystemdNamespace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The bake window on real systemd through the real route, under load: a revision that fails 5 % of requests or is
 * ten times slower is switched to, then flipped back; it is remembered as bad until a new revision or a retry.
 */
class BakeIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    OrchdOnSystemd orch;
    Path app;
    int port;

    @BeforeEach
    void start() throws IOException {
        orch = new OrchdOnSystemd(SYSTEMD);
        app = orch.dir().resolve("flaky.py");
        Files.copy(Path.of("src/test/resources/bake/flaky.py"), app);
        port = OrchdOnSystemd.freePort();
        orch.start();
    }

    @AfterEach
    void stop() throws Exception {
        orch.orchctl("delete", "app", "web");
        orch.close();
    }

    /** A bake of 30 s judged every second, 2 failed windows flip back. */
    Path manifest(String version, int failEvery, int delayMillis) throws IOException {
        return manifest(version, failEvery, delayMillis, false);
    }

    /** With {@code exitAtOnce} the app exits 3 before it listens; the rollout gives up after 2 restarts (deadline 600 s). */
    Path manifest(String version, int failEvery, int delayMillis, boolean exitAtOnce) throws IOException {
        Path f = orch.dir().resolve("web-" + version + ".yaml");
        Files.writeString(f, """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  route:
                    port: %d
                    bindAddress: 127.0.0.1
                    drainTimeoutSeconds: 5
                  template:
                    command: ["/usr/bin/python3"]
                    args: ["%s"]
                    env:
                      - {name: HELLO_VERSION, value: %s}
                      - {name: FAIL_EVERY, value: "%d"}
                      - {name: DELAY_MS, value: "%d"}
                      - {name: EXIT_AT_ONCE, value: "%s"}
                    readinessProbe:
                      httpGet: {path: /healthz}
                      periodSeconds: 1
                      failureThreshold: 1
                    terminationGracePeriodSeconds: 5
                  strategy:
                    blueGreen:
                      keepWarmSeconds: 5
                      bake: {durationSeconds: 30, intervalSeconds: 1, max5xxPercent: 1, maxP99Ratio: 2, failureLimit: 2}
                      crashLoopRestarts: 2
                  progressDeadlineSeconds: 600
                """.formatted(port, app, version, failEvery, delayMillis, exitAtOnce ? "1" : "0"));
        return f;
    }

    void applyAndWait(Path f) {
        assertThat(orch.orchctl("apply", "-f", f.toString()).exitCode()).isZero();
        OrchDist.Result status = orch.orchctl("rollout", "status", "web", "--timeout", "90s");
        assertThat(status.exitCode()).as("%s%n%s", status, orch.logs()).isZero();
    }

    String body() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The STATUS column of {@code orchctl get app web}, once it says RolledBack. */
    String awaitRolledBack(int revision) {
        String[] status = new String[1];
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            OrchDist.Result get = orch.orchctl("get", "app", "web");
            assertThat(get.stdout()).as("%s%n%s", get, orch.logs()).contains("RolledBack: revision " + revision + " failed its bake (");
            status[0] = get.stdout();
        });
        return status[0];
    }

    @Test
    void fivePercent500sAreFlippedBackRememberedAcrossResyncsAndTheNextRevisionRollsOut() throws Exception {
        applyAndWait(manifest("v1", 0, 0));
        List<String> failures;
        String get;
        try (HttpLoad load = new HttpLoad(URI.create("http://127.0.0.1:" + port + "/"), 4)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.ok() > 200);
            long t0 = System.nanoTime();
            applyAndWait(manifest("v2", 20, 0));
            get = awaitRolledBack(2);
            System.out.printf("bake: 5%% 500s flipped back %d ms after the apply%n", (System.nanoTime() - t0) / 1_000_000);
            Thread.sleep(1000); // requests after the flip go to blue
            await().atMost(Duration.ofSeconds(5)).until(() -> load.lastBody().contains("\"v1\""));
            failures = load.failures();
            assertThat(load.ok()).isGreaterThan(500);
        }
        Matcher m = Pattern.compile("RolledBack: revision 2 failed its bake \\(5xx (\\d+\\.\\d) % > 1 %\\)").matcher(get);
        assertThat(m.find()).as(get).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as("the measured share of 500s").isBetween(4.0, 6.0);
        assertThat(failures).as("every failed request is one the app itself failed").isNotEmpty().allMatch(f -> f.equals("HTTP 500: app failure"));
        assertThat(body()).contains("\"version\": \"v1\"", "\"color\": \"blue\"");
        String describe = orch.orchctl("describe", "app", "web").stdout();
        assertThat(describe).contains("RolledBack: revision 2 failed its bake (5xx ").contains("BakeFailed").contains("route switched back to blue (revision 1)");
        Matcher windows = Pattern.compile("failed its bake \\(5xx [^)]*\\): (\\d+) of (\\d+) windows failed").matcher(describe);
        assertThat(windows.find()).as(describe).isTrue();
        System.out.printf("bake: flipped back after %s of %s windows of 1 s failed%n", windows.group(1), windows.group(2));
        assertThat(windows.group(1)).as("flipped back in the window that reached the failure limit, not later").isEqualTo("2");
        await().atMost(Duration.ofSeconds(20)).until(() -> orch.unitProperty("orch-web-green-0.service", "ActiveState").equals("inactive"));
        assertThat(orch.metrics()).contains("orch_rollouts_total{app=\"web\",reason=\"BakeFailed\",result=\"rolled_back\"} 1.0");

        // resyncs (every 3 s in tests) and an apply of the same manifest do not start the bad revision again
        assertThat(orch.orchctl("apply", "-f", manifest("v2", 20, 0).toString()).exitCode()).isZero();
        Thread.sleep(7000);
        assertThat(orch.orchctl("rollout", "history", "web").stdout()).doesNotContain("\n3 ");
        assertThat(orch.unitProperty("orch-web-green-0.service", "ActiveState")).isEqualTo("inactive");
        assertThat(orch.orchctl("get", "app", "web").stdout()).contains("RolledBack: revision 2 failed its bake (5xx ");

        // the next revision does
        applyAndWait(manifest("v3", 0, 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> body().contains("\"v3\""));
        assertThat(orch.orchctl("rollout", "history", "web").stdout()).contains("\n3 ");
        assertThat(orch.orchctl("get", "app", "web").stdout()).doesNotContain("RolledBack");
    }

    @Test
    void withRoutesInOrchRouterServiceTheCountsComeOverItsSocketAndTheBakeFlipsBack() throws Exception {
        orch.close();
        orch = new OrchdOnSystemd(SYSTEMD).withRouterUnit();
        app = orch.dir().resolve("flaky.py");
        Files.copy(Path.of("src/test/resources/bake/flaky.py"), app);
        orch.start();
        applyAndWait(manifest("v1", 0, 0));
        try (HttpLoad load = new HttpLoad(URI.create("http://127.0.0.1:" + port + "/"), 4)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.ok() > 200);
            applyAndWait(manifest("v2", 10, 0));
            String get = awaitRolledBack(2);
            assertThat(get).containsPattern("RolledBack: revision 2 failed its bake \\(5xx \\d+\\.\\d % > 1 %\\)");
            await().atMost(Duration.ofSeconds(5)).until(() -> load.lastBody().contains("\"v1\""));
            assertThat(load.failures()).as("every failed request is one the app itself failed").isNotEmpty()
                    .allMatch(f -> f.equals("HTTP 500: app failure"));
        }
        assertThat(orch.unitProperty(OrchdOnSystemd.ROUTER_UNIT, "ActiveState")).as("the routes ran in orch-router.service").isEqualTo("active");
    }

    @Test
    void anAppThatExitsAtOnceIsAbortedAsCrashLoopWithinSecondsNotAtTheDeadline() throws Exception {
        applyAndWait(manifest("v1", 0, 0));
        OrchDist.Result nothingToRetry = orch.orchctl("rollout", "retry", "web");
        assertThat(nothingToRetry.exitCode()).as("%s", nothingToRetry).isEqualTo(1);
        assertThat(nothingToRetry.stderr()).as("%s", nothingToRetry).contains("web has no failed rollout to retry");
        long t0 = System.nanoTime();
        assertThat(orch.orchctl("apply", "-f", manifest("v2", 0, 0, true).toString()).exitCode()).isZero();
        OrchDist.Result status = orch.orchctl("rollout", "status", "web", "--timeout", "120s");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("crash loop: aborted %d ms after the apply (progress deadline 600 s)%n", millis);
        assertThat(status.exitCode()).as("%s", status).isEqualTo(1);
        assertThat(millis).as("long before the 600 s deadline").isLessThan(120_000);
        String describe = orch.orchctl("describe", "app", "web").stdout();
        assertThat(describe).as(describe).contains("CrashLoop")
                .contains("revision 2 in green crash-loops: orch-web-green-0.service restarted 2 times before it was ready (limit 2), last exit: exited with status 3")
                .contains("last journal lines: ").contains("flaky v2: giving up at once")
                .doesNotContain("ProgressDeadlineExceeded");
        assertThat(body()).contains("\"version\": \"v1\"", "\"color\": \"blue\"");
        assertThat(orch.unitProperty("orch-web-green-0.service", "ActiveState")).isIn("inactive", "failed");
        assertThat(orch.metrics()).contains("orch_rollouts_total{app=\"web\",reason=\"CrashLoop\",result=\"aborted\"} 1.0");
        // remembered as bad like a failed bake: resyncs (every 3 s in tests) do not start it again
        Thread.sleep(4000);
        assertThat(orch.orchctl("rollout", "history", "web").stdout()).doesNotContain("\n3 ");
        assertThat(orch.unitProperty("orch-web-green-0.service", "ActiveState")).as("not started again").isIn("inactive", "failed");
        assertThat(orch.orchctl("get", "app", "web").stdout()).contains("Failed");
    }

    @Test
    void aTenTimesSlowerP99IsFlippedBackAndRetryStartsItAgain() throws Exception {
        applyAndWait(manifest("v1", 0, 250));
        try (HttpLoad load = new HttpLoad(URI.create("http://127.0.0.1:" + port + "/"), 4)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> load.ok() > 40);
            long t0 = System.nanoTime();
            applyAndWait(manifest("v2", 0, 2500));
            String get = awaitRolledBack(2);
            System.out.printf("bake: 10x slower p99 flipped back %d ms after the apply%n", (System.nanoTime() - t0) / 1_000_000);
            Matcher m = Pattern.compile("RolledBack: revision 2 failed its bake \\(p99 (\\d+) ms > 2 x (\\d+) ms\\)").matcher(get);
            assertThat(m.find()).as(get).isTrue();
            long slow = Long.parseLong(m.group(1));
            long base = Long.parseLong(m.group(2));
            System.out.printf("bake: p99 %d ms against the old color's %d ms%n", slow, base);
            assertThat(slow).as("new p99: every request sleeps 2500 ms").isGreaterThanOrEqualTo(2500);
            assertThat(base).as("old color's p99 (measured, above the 200 ms floor): every request sleeps 250 ms").isGreaterThanOrEqualTo(300).isLessThan(slow / 2);
            assertThat(load.failures()).isEmpty();

            await().atMost(Duration.ofSeconds(20)).until(() -> orch.unitProperty("orch-web-green-0.service", "ActiveState").equals("inactive"));
            OrchDist.Result retry = orch.orchctl("rollout", "retry", "web");
            assertThat(retry.exitCode()).as("%s", retry).isZero();
            awaitRolledBack(3);
            assertThat(orch.orchctl("rollout", "history", "web").stdout()).contains("\n3 ");
            assertThat(load.failures()).isEmpty();
        }
        assertThat(body()).contains("\"version\": \"v1\"");
    }
}
