package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.OrchDist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One artifact, two faces, on the packaged launchers: the daemon serves; CLI calls run beside it. A CLI
 * call that booted Quarkus would try to bind the daemon's management port and socket and fail, so
 * concurrent successful calls show the client face binds nothing.
 */
class TwoFacesIT {
    @TempDir
    Path dir;

    OrchDist dist;
    Process daemon;
    Path log;

    @BeforeEach
    void startDaemon() throws Exception {
        Path state = dir.resolve("state");
        // a fixed management port (not 0): a CLI that booted Quarkus would collide with it
        int mgmt = FreePort.find();
        dist = OrchDist.packaged().withEnv(Map.of(
                "ORCH_STATE_DIR", state.toString(),
                "ORCH_JAVA_OPTS", "-Dquarkus.management.port=" + mgmt,
                "ORCH_CLI_JAVA_OPTS", "-Dquarkus.management.port=" + mgmt));
        log = dir.resolve("orchd.log");
        daemon = dist.startDaemon(log);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(state.resolve("orchd.sock")) || !daemon.isAlive());
        assertThat(daemon.isAlive()).as("orchd running; log:%n%s", Files.readString(log)).isTrue();
    }

    @AfterEach
    void stopDaemon() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor();
        }
    }

    @Test
    void twoCliCallsRunWhileTheDaemonServes() {
        var a = CompletableFuture.supplyAsync(() -> dist.orchctl("get", "apps"));
        var b = CompletableFuture.supplyAsync(() -> dist.orchctl("version"));
        OrchDist.Result get = a.join();
        OrchDist.Result version = b.join();

        assertThat(get.exitCode()).as("get apps: %s", get).isZero();
        assertThat(get.stderr()).contains("No resources found.");
        assertThat(version.exitCode()).as("version: %s", version).isZero();
        assertThat(version.stdout()).containsPattern("Client Version: \\S+").containsPattern("Server Version: \\S+");
        assertThat(daemon.isAlive()).isTrue();
    }

    @Test
    void aSecondDaemonOnTheSameStateDirIsRefusedClearly() {
        OrchDist.Result second = dist.run(List.of(dist.home().resolve("bin/orchd").toString()), Duration.ofSeconds(60));
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.stderr()).contains("another orchd (pid " + daemon.pid() + ") is running with state dir");
        assertThat(daemon.isAlive()).isTrue();
    }

    @Test
    void cliReportsTheAddressItTriedWhenTheDaemonIsDown() throws Exception {
        daemon.destroy();
        daemon.waitFor();
        OrchDist.Result r = dist.orchctl("get", "apps");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("error: cannot reach orchd at unix:" + dir.resolve("state/orchd.sock"));
    }
}
