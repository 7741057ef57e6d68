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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Blue/green end to end: the packaged orchd on real systemd (booted in a namespace), the example app as
 * real services, traffic through orchd's real route, the real CLI.
 */
class RolloutIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();

    static final HttpClient HTTP = HttpClient.newHttpClient();

    OrchdOnSystemd orch;
    int port;
    Path hello;

    @BeforeEach
    void start() throws IOException {
        orch = new OrchdOnSystemd(SYSTEMD);
        port = OrchdOnSystemd.freePort();
        hello = orch.dir().resolve("hello.py");
        Files.copy(Path.of("manifests/hello/hello.py"), hello);
        orch.start();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            orch.orchctl("delete", "app", "web");
            await().atMost(Duration.ofSeconds(30)).until(() -> SYSTEMD.exec("systemctl", "list-units", "--all", "--no-legend", "orch-web-*").stdout().isBlank());
        } finally {
            orch.close();
        }
    }

    static final String READY_ON_HEALTHZ = "httpGet:\n            path: /healthz";
    static final String NEVER_READY = "exec:\n            command: [\"/bin/false\"]";

    /** The hello example as app "web": version v, the given readiness check, given deadline. */
    Path manifest(String version, String readiness, int deadlineSeconds) throws IOException {
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
                    args: ["$(ARTIFACT)", "--port", "$(PORT)"]
                    artifact:
                      path: %s
                    env:
                      - name: HELLO_VERSION
                        value: %s
                    readinessProbe:
                      %s
                      periodSeconds: 1
                      failureThreshold: 1
                    terminationGracePeriodSeconds: 5
                  strategy:
                    blueGreen:
                      keepWarmSeconds: 60
                  progressDeadlineSeconds: %d
                """.formatted(port, hello, version, readiness, deadlineSeconds));
        return f;
    }

    void applyAndWait(Path f) {
        OrchDist.Result apply = orch.orchctl("apply", "-f", f.toString());
        assertThat(apply.exitCode()).as("%s%n%s", apply, orch.logs()).isZero();
        OrchDist.Result status = orch.orchctl("rollout", "status", "web", "--timeout", "90s");
        assertThat(status.exitCode()).as("%s%n%s", status, orch.logs()).isZero();
    }

    String get() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void rollsOutBlueGreenUnderLoadAbortsAtTheDeadlineUndoesAndSwitches() throws Exception {
        applyAndWait(manifest("v1", READY_ON_HEALTHZ, 60));
        assertThat(get()).contains("\"version\": \"v1\"", "\"color\": \"blue\"");

        try (HttpLoad load = new HttpLoad(URI.create("http://127.0.0.1:" + port + "/"), 4)) {
            applyAndWait(manifest("v2", READY_ON_HEALTHZ, 60));
            await().atMost(Duration.ofSeconds(5)).until(() -> get().contains("\"version\": \"v2\""));
            assertThat(get()).contains("\"color\": \"green\"");

            // v3 never becomes ready: aborted at the deadline, v2 keeps serving
            assertThat(orch.orchctl("apply", "-f", manifest("v3", NEVER_READY, 6).toString()).exitCode()).isZero();
            OrchDist.Result failed = orch.orchctl("rollout", "status", "web", "--timeout", "90s");
            assertThat(failed.exitCode()).as("%s", failed).isEqualTo(1);
            assertThat(failed.stderr()).contains("ProgressDeadlineExceeded");
            assertThat(get()).contains("\"version\": \"v2\"");
            OrchDist.Result yaml = orch.orchctl("get", "app", "web", "-o", "yaml");
            assertThat(yaml.stdout()).contains("reason: ProgressDeadlineExceeded");
            assertThat(orch.unitProperty("orch-web-blue-0.service", "ActiveState")).isEqualTo("inactive");

            // undo: back to v1 through the safe path
            assertThat(orch.orchctl("rollout", "undo", "web", "--to-revision=1").exitCode()).isZero();
            assertThat(orch.orchctl("rollout", "status", "web", "--timeout", "90s").exitCode()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> get().contains("\"version\": \"v1\""));

            // switch: v2 still runs warm in the other color, so the flip is instant
            String warmColor = get().contains("\"color\": \"blue\"") ? "green" : "blue";
            long t0 = System.nanoTime();
            assertThat(orch.orchctl("switch", "web").exitCode()).isZero();
            await().atMost(Duration.ofSeconds(5)).until(() -> get().contains("\"version\": \"v2\""));
            System.out.printf("switch to the warm color took %d ms (CLI call included)%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(get()).contains("\"color\": \"" + warmColor + "\"");

            assertThat(load.failures()).as("failed requests during all rollouts").isEmpty();
            assertThat(load.ok()).isGreaterThan(100);
        }
    }
}
