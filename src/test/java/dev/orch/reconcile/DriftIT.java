package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.SystemdNamespace;
import dev.orch.testing.WebApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Changes made behind orch's back are corrected; units without orch's marker are never touched. */
class DriftIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();

    static OrchdOnSystemd orch;
    static WebApp web;

    @BeforeAll
    static void deploy() throws Exception {
        // no poll to speak of: drift must be seen through the manager's D-Bus change signals
        orch = new OrchdOnSystemd(SYSTEMD).env("ORCH_RECONCILE_UNIT_POLL", "1h");
        web = new WebApp(orch.dir());
        orch.start();
        assertThat(orch.logs()).contains("systemd driver: D-Bus on " + SYSTEMD.privateSocket());
        assertThat(orch.orchctl("apply", "-f", web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60).toString()).exitCode()).isZero();
        assertThat(orch.orchctl("rollout", "status", "web", "--timeout", "90s").exitCode()).isZero();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        orch.close();
    }

    static Path unitFile(String unit) {
        return SYSTEMD.path("/run/systemd/system/" + unit);
    }

    @Test
    void aLiveUnitStoppedByHandIsStartedAgain() {
        assertThat(SYSTEMD.exec("systemctl", "stop", "orch-web-blue-0.service").exitCode()).isZero();
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(15)).until(() -> orch.unitProperty("orch-web-blue-0.service", "ActiveState").equals("active"));
        System.out.printf("stopped live unit restarted by orchd after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        await().atMost(Duration.ofSeconds(15)).until(() -> web.get().contains("\"version\": \"v1\""));
    }

    @Test
    void anEditedUnitFileIsRestored() throws Exception {
        Path unit = unitFile("orch-web-blue-0.service");
        String original = Files.readString(unit);
        Files.writeString(unit, original.replace("RestartSec=2s", "RestartSec=9s"));
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(unit).equals(original));
    }

    @Test
    void anOrchUnitOfAnUnknownAppIsRemovedAndForeignUnitsAreLeftAlone() throws Exception {
        String marked = Files.readString(unitFile("orch-web-blue-0.service"))
                .replace("X-Orch-App=web", "X-Orch-App=ghost").replaceAll("orch-web-blue-0", "orch-ghost-blue-0");
        Files.writeString(unitFile("orch-ghost-blue-0.service"), marked);
        // same naming pattern, no marker: someone else's unit
        Files.writeString(unitFile("orch-other-blue-0.service"), "[Unit]\nDescription=not orch's\n[Service]\nExecStart=/bin/sleep 600\n");
        SYSTEMD.exec("systemctl", "daemon-reload");
        SYSTEMD.exec("systemctl", "start", "orch-other-blue-0.service");

        await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(unitFile("orch-ghost-blue-0.service")));
        Thread.sleep(4_000); // at least one more resync
        assertThat(unitFile("orch-other-blue-0.service")).exists();
        assertThat(orch.unitProperty("orch-other-blue-0.service", "ActiveState")).isEqualTo("active");
        SYSTEMD.exec("systemctl", "stop", "orch-other-blue-0.service");
    }
}
