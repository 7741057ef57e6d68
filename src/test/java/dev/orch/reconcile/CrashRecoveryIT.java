package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.SystemdNamespace;
import dev.orch.testing.WebApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * kill -9 of orchd in each rollout phase, then a restart on the same state: the app converges to the new
 * revision, no orphan units, no unit restarted that did not need it, every state file valid.
 */
class CrashRecoveryIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();

    OrchdOnSystemd orch;
    WebApp web;

    @BeforeEach
    void start() throws Exception {
        orch = new OrchdOnSystemd(SYSTEMD);
        web = new WebApp(orch.dir());
        orch.start();
        assertThat(orch.orchctl("apply", "-f", web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60).toString()).exitCode()).isZero();
        assertThat(orch.orchctl("rollout", "status", "web", "--timeout", "90s").exitCode()).isZero();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            orch.orchctl("delete", "app", "web");
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> units().isEmpty());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("units left 30 s after the delete: " + units() + "\n" + orch.logs(), e);
            }
        } finally {
            orch.close();
        }
    }

    /**
     * Starting: units installed, not started yet. WaitingReady: started, probes not passed yet. Switching:
     * persisted just before the route flips. Draining: right after the switch, old color kept warm.
     */
    @ParameterizedTest(name = "killed in phase {0}")
    @ValueSource(strings = {"Starting", "WaitingReady", "Switching", "Draining"})
    void convergesAfterKillNineInPhase(String phase) throws Exception {
        // restart orchd with a pause after the phase (WaitingReady needs none: the probe's initial delay holds it)
        orch.stop();
        orch.env("ORCH_TEST_PAUSE_AFTER", phase.equals("WaitingReady") ? null : phase + ":30s").start();
        String liveBefore = mainPid("orch-web-blue-0.service");

        assertThat(orch.orchctl("apply", "-f", web.manifest("v2", WebApp.READY_ON_HEALTHZ, 120, 60, phase.equals("WaitingReady") ? 8 : 0).toString()).exitCode()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> orch.phase("web").equals(phase));
        String greenAtKill = mainPid("orch-web-green-0.service");
        orch.kill();

        orch.env("ORCH_TEST_PAUSE_AFTER", null).start();
        OrchDist.Result status = orch.orchctl("rollout", "status", "web", "--timeout", "90s");
        assertThat(status.exitCode()).as("%s%n%s", status, orch.logs()).isZero();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> web.get().contains("\"version\": \"v2\""));

        // no unit restarted that did not need it: v1 (blue, now kept warm) never restarted; green started once
        assertThat(mainPid("orch-web-blue-0.service")).as("blue (v1) main pid").isEqualTo(liveBefore);
        if (!greenAtKill.equals("0")) {
            assertThat(mainPid("orch-web-green-0.service")).as("green was running at the kill: same process").isEqualTo(greenAtKill);
        }
        assertThat(orch.unitProperty("orch-web-green-0.service", "NRestarts")).isEqualTo("0");
        assertThat(units()).containsExactlyInAnyOrder("orch-web-blue-0.service", "orch-web-green-0.service");
        assertEveryStateFileIsValid(orch.stateDir());
    }

    String mainPid(String unit) {
        return orch.unitProperty(unit, "MainPID");
    }

    List<String> units() {
        return SYSTEMD.exec("systemctl", "list-units", "--all", "--no-legend", "--plain", "orch-*.service").stdout().lines()
                .filter(l -> !l.isBlank()).map(l -> l.trim().split("\\s+")[0]).toList();
    }

    static void assertEveryStateFileIsValid(Path state) throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.walk(state.resolve("apps"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(f.getFileName().toString()).as("quarantined or temp file %s", f).doesNotContain("corrupt").doesNotStartWith(".");
                assertThat(json.readTree(f.toFile()).get("schemaVersion").asInt()).as("%s", f).isEqualTo(1);
            }
        }
    }
}
