package dev.orch.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.SystemdNamespace;
import dev.orch.testing.WebApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * systemd/orchd.service as shipped, run by real systemd: it becomes active only once orchd says it is
 * ready, deploys an app, and stopping or restarting it leaves the app's units running untouched.
 */
class OrchdServiceIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();

    static Path dir;

    @AfterAll
    static void cleanUp() throws Exception {
        SYSTEMD.exec("systemctl", "stop", "orchd.service");
        if (dir != null) {
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
        }
    }

    String show(String unit, String property) {
        return SYSTEMD.exec("systemctl", "show", "-p", property, "--value", unit).stdout().strip();
    }

    @Test
    void theShippedUnitRunsOrchdAndStoppingItLeavesTheAppsRunning() throws Exception {
        dir = Files.createDirectories(Path.of("/var/lib/orch-it", "svc-" + UUID.randomUUID().toString().substring(0, 8)));
        // install as a user would (cp -a keeps the timestamps the AOT cache checks), outside /root and /home
        Path home = dir.resolve("opt/orch");
        Files.createDirectories(home.getParent());
        assertThat(new ProcessBuilder("cp", "-a", OrchDist.packaged().home().toString(), home.toString()).inheritIO().start().waitFor()).isZero();
        Path state = dir.resolve("state");
        int mgmt = OrchdOnSystemd.freePort();

        Files.copy(Path.of("systemd/orchd.service"), SYSTEMD.path("/run/systemd/system/orchd.service"));
        Path dropIn = Files.createDirectories(SYSTEMD.path("/run/systemd/system/orchd.service.d"));
        // only what differs in a test: where orch lives, its state, and the namespace's unit directory
        Files.writeString(dropIn.resolve("50-test.conf"), """
                [Service]
                ExecStart=
                ExecStart=%s/bin/orchd
                Environment=ORCH_STATE_DIR=%s ORCH_SYSTEMD_UNIT_DIR=/run/systemd/system ORCH_RECONCILE_RESYNC=3s
                Environment=ORCH_JAVA_OPTS=-Dquarkus.management.port=%d
                StateDirectory=
                ConfigurationDirectory=
                ReadWritePaths=%s /run/systemd/system
                """.formatted(home, state, mgmt, dir));
        assertThat(SYSTEMD.exec("systemd-analyze", "verify", "/run/systemd/system/orchd.service").stderr())
                .doesNotContain("orchd.service:");

        SYSTEMD.exec("systemctl", "daemon-reload");
        var start = SYSTEMD.exec("systemctl", "start", "orchd.service");
        assertThat(start.exitCode()).as("%s%n%s", start, SYSTEMD.journal()).isZero();
        // Type=notify: active only after orchd reported ready, with its status text
        assertThat(show("orchd.service", "ActiveState")).isEqualTo("active");
        assertThat(show("orchd.service", "StatusText")).isEqualTo("serving");
        assertThat(state.resolve("orchd.sock")).exists();

        OrchDist cli = OrchDist.packaged().withEnv(Map.of("ORCH_STATE_DIR", state.toString()));
        WebApp web = new WebApp(dir);
        assertThat(cli.orchctl("apply", "-f", web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60).toString()).exitCode()).isZero();
        OrchDist.Result status = cli.orchctl("rollout", "status", "web", "--timeout", "90s");
        assertThat(status.exitCode()).as("%s%n%s", status, SYSTEMD.journal()).isZero();
        assertThat(web.get()).contains("\"version\": \"v1\"");
        String appPid = show("orch-web-blue-0.service", "MainPID");

        assertThat(SYSTEMD.exec("systemctl", "stop", "orchd.service").exitCode()).isZero();
        assertThat(show("orchd.service", "ActiveState")).isEqualTo("inactive");
        assertThat(show("orch-web-blue-0.service", "ActiveState")).as("apps are separate units").isEqualTo("active");
        assertThat(show("orch-web-blue-0.service", "MainPID")).isEqualTo(appPid);

        assertThat(SYSTEMD.exec("systemctl", "start", "orchd.service").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> web.get().contains("\"version\": \"v1\""));
        Thread.sleep(4_000); // a resync after the restart
        assertThat(show("orch-web-blue-0.service", "MainPID")).as("nothing restarted").isEqualTo(appPid);
        assertThat(show("orch-web-blue-0.service", "NRestarts")).isEqualTo("0");
        assertThat(cli.orchctl("delete", "app", "web").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> show("orch-web-blue-0.service", "LoadState").equals("not-found"));
        assertThat(List.of(show("orchd.service", "NRestarts"))).containsExactly("0");
    }
}
