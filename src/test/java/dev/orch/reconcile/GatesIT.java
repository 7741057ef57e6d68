package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gates before the switch on real systemd through the real route: {@code minReadySeconds} holds a flapping revision
 * back and lets a steady one through only after the minimum; a smoke check sent through the preview listener stops a
 * revision that answers 500 on {@code /smoke} while the live color keeps serving, and lets a good one through.
 *
 * <p>The app keeps all its state in memory: its units run with {@code DynamicUser=yes} and {@code ProtectSystem=strict},
 * so the service may read the script (the fixture's directory is root's, mode 0755, files 0644) but write nowhere in it.
 */
class GatesIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final int MIN_READY = 4;

    OrchdOnSystemd orch;
    Path app;
    int port;
    int previewPort;

    @BeforeEach
    void start() throws IOException {
        orch = new OrchdOnSystemd(SYSTEMD);
        app = orch.dir().resolve("gated.py");
        Files.copy(Path.of("src/test/resources/gates/gated.py"), app);
        port = OrchdOnSystemd.freePort();
        previewPort = OrchdOnSystemd.freePort();
        orch.start();
    }

    @AfterEach
    void stop() throws Exception {
        orch.orchctl("delete", "app", "web");
        orch.close();
    }

    /** No bake, no keep-warm; {@code smokeChecks} is added under strategy.blueGreen as it is. */
    Path manifest(String version, double flapSeconds, int smokeStatus, int minReady, String smokeChecks) throws IOException {
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
                    previewPort: %d
                    drainTimeoutSeconds: 2
                  template:
                    command: ["/usr/bin/python3"]
                    args: ["%s"]
                    env:
                      - {name: HELLO_VERSION, value: %s}
                      - {name: FLAP_SECONDS, value: "%s"}
                      - {name: SMOKE_STATUS, value: "%d"}
                    readinessProbe:
                      httpGet: {path: /healthz}
                      periodSeconds: 1
                      failureThreshold: 1
                    terminationGracePeriodSeconds: 5
                  strategy:
                    blueGreen:
                      keepWarmSeconds: 0
                      bake: {durationSeconds: 0}
                %s
                  minReadySeconds: %d
                  progressDeadlineSeconds: 600
                """.formatted(port, previewPort, app, version, flapSeconds, smokeStatus, smokeChecks, minReady));
        return f;
    }

    static final String SMOKE = "      smokeChecks:\n        - {path: /smoke, expectStatus: 200, timeoutSeconds: 2}";

    void applyAndWait(Path f) {
        OrchDist.Result applied = orch.orchctl("apply", "-f", f.toString());
        assertThat(applied.exitCode()).as("%s", applied).isZero();
        OrchDist.Result status = orch.orchctl("rollout", "status", "web", "--timeout", "90s");
        assertThat(status.exitCode()).as("%s%n%s", status, orch.logs()).isZero();
    }

    String body() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    String live() {
        JsonNode a = orch.actual("web");
        return a == null || a.get("live") == null ? "" : a.get("live").asText();
    }

    @Test
    void aFlappingRevisionIsNotSwitchedToAndASteadyOneOnlyAfterMinReadySeconds() throws Exception {
        applyAndWait(manifest("v1", 0, 200, MIN_READY, ""));
        assertThat(body()).contains("\"version\": \"v1\"", "\"color\": \"blue\"");
        try (HttpLoad load = new HttpLoad(URI.create("http://127.0.0.1:" + port + "/"), 2)) {
            // ready 1.5 s, unready 1.5 s, ...: never ready for 4 s without a break
            assertThat(orch.orchctl("apply", "-f", manifest("v2", 1.5, 200, MIN_READY, "").toString()).exitCode()).isZero();
            Set<String> readySince = new LinkedHashSet<>();
            long until = System.nanoTime() + Duration.ofSeconds(14).toNanos();
            while (System.nanoTime() < until) {
                JsonNode r = orch.actual("web").get("rollout");
                if (r != null && r.hasNonNull("readySince") && r.get("targetRevision").asInt() == 2) {
                    readySince.add(r.get("readySince").asText());
                }
                assertThat(live()).as("the flapping revision never gets the route").isEqualTo("blue");
                Thread.sleep(100);
            }
            System.out.printf("minReadySeconds: revision 2 was ready %d times in 14 s, never for %d s: not switched%n", readySince.size(), MIN_READY);
            assertThat(readySince).as("it did pass its readiness probe, and the count started again after each break").hasSizeGreaterThanOrEqualTo(2);
            assertThat(orch.unitProperty("orch-web-green-0.service", "ActiveState")).isEqualTo("active");
            assertThat(load.lastBody()).contains("\"version\": \"v1\"");

            // a steady revision replaces it and gets the switch once it has been ready for MIN_READY seconds
            assertThat(orch.orchctl("apply", "-f", manifest("v3", 0, 200, MIN_READY, "").toString()).exitCode()).isZero();
            String first = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (first == null && System.nanoTime() < deadline) {
                String b = body();
                if (b.contains("\"version\": \"v3\"")) {
                    first = b;
                }
                Thread.sleep(20);
            }
            assertThat(first).as(orch.logs()).isNotNull();
            Matcher m = Pattern.compile("\"ready_for_ms\": (\\d+)").matcher(first);
            assertThat(m.find()).as(first).isTrue();
            long readyFor = Long.parseLong(m.group(1));
            System.out.printf("minReadySeconds: revision 3 got its first routed request %d ms after its first ready answer (minReadySeconds %d)%n",
                    readyFor, MIN_READY);
            assertThat(readyFor).as("ready for at least minReadySeconds before the switch").isGreaterThanOrEqualTo(MIN_READY * 1000L);
            await().atMost(Duration.ofSeconds(10)).until(() -> load.lastBody().contains("\"v3\""));
            assertThat(load.failures()).as("no request failed while the gate held and then switched").isEmpty();
        }
        assertThat(orch.orchctl("rollout", "history", "web").stdout()).contains("\n3 ");
    }

    @Test
    void aFailedSmokeCheckThroughThePreviewKeepsTheLiveColorAndAGoodRevisionPassesAndSwitches() throws Exception {
        applyAndWait(manifest("v1", 0, 200, 0, SMOKE));
        assertThat(body()).contains("\"version\": \"v1\"", "\"smoke_hits\": 1");
        String describe;
        try (HttpLoad load = new HttpLoad(URI.create("http://127.0.0.1:" + port + "/"), 2)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> load.ok() > 50);
            assertThat(orch.orchctl("apply", "-f", manifest("v2", 0, 500, 0, SMOKE).toString()).exitCode()).isZero();
            OrchDist.Result status = orch.orchctl("rollout", "status", "web", "--timeout", "60s");
            assertThat(status.exitCode()).as("%s%n%s", status, orch.logs()).isEqualTo(1);
            describe = orch.orchctl("describe", "app", "web").stdout();
            String failure = "revision 2 in green failed its smoke check GET /smoke via the preview listener 127.0.0.1:" + previewPort
                    + ": expected status 200, got 500";
            assertThat(describe).as(describe).contains("SmokeCheckFailed").contains(failure).contains("blue keeps serving");
            assertThat(orch.orchctl("get", "app", "web").stdout()).contains("Failed");
            await().atMost(Duration.ofSeconds(20)).until(() -> orch.unitProperty("orch-web-green-0.service", "ActiveState").equals("inactive"));
            assertThat(live()).isEqualTo("blue");
            assertThat(load.lastBody()).contains("\"version\": \"v1\"");
            assertThat(orch.metrics()).contains("orch_rollouts_total{app=\"web\",reason=\"SmokeCheckFailed\",result=\"aborted\"} 1.0");

            // remembered as bad: resyncs (every 3 s in tests) do not start it again
            Thread.sleep(4000);
            assertThat(orch.orchctl("rollout", "history", "web").stdout()).doesNotContain("\n3 ");
            assertThat(orch.unitProperty("orch-web-green-0.service", "ActiveState")).isEqualTo("inactive");

            applyAndWait(manifest("v3", 0, 200, 0, SMOKE));
            await().atMost(Duration.ofSeconds(10)).until(() -> load.lastBody().contains("\"v3\""));
            assertThat(load.failures()).as("the live color served every request").isEmpty();
            assertThat(load.ok()).isGreaterThan(100);
        }
        assertThat(body()).contains("\"version\": \"v3\"", "\"color\": \"green\"", "\"smoke_hits\": 1");
        assertThat(orch.orchctl("describe", "app", "web").stdout())
                .contains("revision 3 in green passed 1 smoke check request via the preview listener 127.0.0.1:" + previewPort);
    }
}
