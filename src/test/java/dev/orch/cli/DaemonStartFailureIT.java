package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.testing.OrchDist;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When orchd cannot start, stderr (the journal under systemd) says which setting and why in one line, and
 * orchd exits non-zero; Quarkus alone printed only "Failed to start quarkus". The real packaged orchd each time.
 */
class DaemonStartFailureIT {
    @TempDir
    Path dir;

    private OrchDist.Result orchd(Map<String, String> env) {
        return OrchDist.packaged().withEnv(env).run(List.of(OrchDist.packaged().home().resolve("bin/orchd").toString()), Duration.ofSeconds(90));
    }

    private static String onlyLine(String stderr) {
        List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as("stderr: %s", stderr).hasSize(1);
        return lines.get(0);
    }

    @Test
    void managementPortTakenByAnotherProcess() throws IOException {
        try (ServerSocket taken = new ServerSocket(FreePort.find(), 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            OrchDist.Result r = orchd(Map.of("ORCH_STATE_DIR", dir.resolve("state").toString(), "ORCH_DRIVER", "process",
                    "ORCH_JAVA_OPTS", "-Dquarkus.management.port=" + port));
            assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
            assertThat(onlyLine(r.stderr())).isEqualTo("orchd: cannot start: Unable to start HTTP server: Unable to start the management interface on 127.0.0.1:"
                    + port + ": bind(..) failed with error(-98): Address already in use");
        }
    }

    @Test
    void stateDirNotWritable() throws Exception {
        Path state = Files.createDirectory(dir.resolve("state"));
        // root ignores permission bits; the immutable attribute refuses new entries even to root
        assertThat(new ProcessBuilder("chattr", "+i", state.toString()).inheritIO().start().waitFor()).isZero();
        try {
            OrchDist.Result r = orchd(Map.of("ORCH_STATE_DIR", state.toString(), "ORCH_DRIVER", "process",
                    "ORCH_JAVA_OPTS", "-Dquarkus.management.port=" + FreePort.find()));
            assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
            assertThat(onlyLine(r.stderr())).isEqualTo("orchd: cannot start: cannot use state dir " + state
                    + " (orch.state-dir; it must be a writable directory): " + state.resolve("orchd.lock") + ": Operation not permitted");
        } finally {
            new ProcessBuilder("chattr", "-i", state.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void badConfigKeys() throws IOException {
        Path config = dir.resolve("orchd.properties");
        Files.writeString(config, "orch.reconcile.workers=many\n");
        OrchDist.Result r = orchd(Map.of("ORCH_STATE_DIR", dir.resolve("state").toString(), "ORCH_DRIVER", "process", "ORCH_CONFIG", config.toString(),
                "ORCH_JAVA_OPTS", "-Dquarkus.management.port=" + FreePort.find()));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(onlyLine(r.stderr())).isEqualTo("orchd: cannot start: Configuration validation failed: SRCFG00039: The config property"
                + " orch.reconcile.workers with the config value \"many\" threw an Exception whilst being converted SRCFG00029: Expected an integer value, got \"many\"");

        Files.writeString(config, "orch.reconcile.wrokers=3\n");
        OrchDist.Result typo = orchd(Map.of("ORCH_STATE_DIR", dir.resolve("state").toString(), "ORCH_DRIVER", "process", "ORCH_CONFIG", config.toString(),
                "ORCH_JAVA_OPTS", "-Dquarkus.management.port=" + FreePort.find()));
        assertThat(typo.exitCode()).as("%s", typo).isEqualTo(1);
        assertThat(onlyLine(typo.stderr())).startsWith("orchd: cannot start: Configuration validation failed: SRCFG00050: orch.reconcile.wrokers in ")
                .endsWith(" does not map to any root");
    }
}
