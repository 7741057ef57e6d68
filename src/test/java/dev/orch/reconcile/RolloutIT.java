package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.HttpLoad;
import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.SystemdNamespace;
import dev.orch.testing.WebApp;
import java.io.IOException;
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

    OrchdOnSystemd orch;
    WebApp web;

    @BeforeEach
    void start() throws IOException {
        orch = new OrchdOnSystemd(SYSTEMD);
        web = new WebApp(orch.dir());
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

    void applyAndWait(Path f) {
        OrchDist.Result apply = orch.orchctl("apply", "-f", f.toString());
        assertThat(apply.exitCode()).as("%s%n%s", apply, orch.logs()).isZero();
        OrchDist.Result status = orch.orchctl("rollout", "status", "web", "--timeout", "90s");
        assertThat(status.exitCode()).as("%s%n%s", status, orch.logs()).isZero();
    }

    String get() throws Exception {
        return web.get();
    }

    @Test
    void rollsOutBlueGreenUnderLoadAbortsAtTheDeadlineUndoesAndSwitches() throws Exception {
        applyAndWait(web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60));
        assertThat(get()).contains("\"version\": \"v1\"", "\"color\": \"blue\"");

        try (HttpLoad load = new HttpLoad(web.uri(), 4)) {
            applyAndWait(web.manifest("v2", WebApp.READY_ON_HEALTHZ, 60));
            await().atMost(Duration.ofSeconds(5)).until(() -> get().contains("\"version\": \"v2\""));
            assertThat(get()).contains("\"color\": \"green\"");
            // status: readiness per color, the old one kept warm
            var colors = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(orch.orchctl("get", "app", "web", "-o", "json").stdout()).get("status").get("colors");
            assertThat(colors.toString()).contains("{\"color\":\"blue\",\"revision\":1,\"replicas\":1,\"active\":1,\"ready\":1,\"live\":false")
                    .contains("{\"color\":\"green\",\"revision\":2,\"replicas\":1,\"active\":1,\"ready\":1,\"live\":true");

            // v3 never becomes ready: aborted at the deadline, v2 keeps serving
            assertThat(orch.orchctl("apply", "-f", web.manifest("v3", WebApp.NEVER_READY, 6).toString()).exitCode()).isZero();
            OrchDist.Result failed = orch.orchctl("rollout", "status", "web", "--timeout", "90s");
            assertThat(failed.exitCode()).as("%s", failed).isEqualTo(1);
            assertThat(failed.stderr()).contains("ProgressDeadlineExceeded");
            assertThat(get()).contains("\"version\": \"v2\"");
            OrchDist.Result yaml = orch.orchctl("get", "app", "web", "-o", "yaml");
            assertThat(yaml.stdout()).contains("reason: ProgressDeadlineExceeded");
            assertThat(orch.unitProperty("orch-web-blue-0.service", "ActiveState")).isEqualTo("inactive");
            assertThat(orch.metrics()).contains("orch_rollouts_total{app=\"web\",reason=\"ProgressDeadlineExceeded\",result=\"aborted\"} 1.0")
                    .contains("orch_rollouts_total{app=\"web\",reason=\"NewRevisionAvailable\",result=\"complete\"}");

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
