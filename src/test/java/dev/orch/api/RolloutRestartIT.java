package dev.orch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.cli.ProcessDaemon;
import dev.orch.testing.OrchDist;
import dev.orch.testing.WebApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rollout restart} restarts what serves: after a failed rollout, the live revision, not the one that failed. */
class RolloutRestartIT {
    @TempDir
    Path dir;

    @Test
    void restartAfterAFailedRolloutRestartsTheLiveRevision() throws Exception {
        WebApp web = new WebApp(dir);
        Path v1 = web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60);
        Path broken = web.manifest("v2", WebApp.NEVER_READY, 3);
        try (ProcessDaemon orchd = ProcessDaemon.start(dir)) {
            orchd.ok("apply", "-f", v1.toString());
            assertThat(orchd.ok("rollout", "status", "web", "--timeout", "90s")).contains("revision 1 is live in blue");
            orchd.ok("apply", "-f", broken.toString());
            OrchDist.Result failed = orchd.orchctl("rollout", "status", "web", "--timeout", "90s");
            assertThat(failed.exitCode()).as("%s", failed).isEqualTo(1);
            assertThat(failed.stderr()).contains("ProgressDeadlineExceeded");

            assertThat(orchd.ok("rollout", "restart", "web")).isEqualTo("deployment.orch.dev/web restarted\n");
            assertThat(orchd.ok("rollout", "status", "web", "--timeout", "90s")).contains("revision 3 is live in green");
            assertThat(web.get()).contains("\"version\": \"v1\"").contains("\"color\": \"green\"");
            String yaml = orchd.ok("get", "app", "web", "-o", "yaml");
            assertThat(yaml).contains("ORCH_RESTARTED_AT").contains("value: \"v1\"").doesNotContain("value: \"v2\"");
            assertThat(Files.readAllLines(orchd.state().resolve("audit.log")).stream().filter(l -> l.contains("\"action\":\"restart\"")).toList())
                    .singleElement().asString().contains("\"revision\":\"1\"");
        }
    }
}
