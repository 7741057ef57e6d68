package dev.orch.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.cli.FreePort;
import dev.orch.testing.OrchDist;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad orch.host.labels stops the packaged orchd at start-up with one line naming the key, the part and the form. */
class HostConfigIT {
    @TempDir
    Path dir;

    @Test
    void badHostLabelsStopOrchdWithOneLine() throws Exception {
        Path config = dir.resolve("orchd.properties");
        Files.writeString(config, "orch.host.labels=environment=staging,role\n");
        OrchDist dist = OrchDist.packaged().withEnv(Map.of("ORCH_STATE_DIR", dir.resolve("state").toString(), "ORCH_DRIVER", "process",
                "ORCH_CONFIG", config.toString(), "ORCH_JAVA_OPTS", "-Dquarkus.management.port=" + FreePort.find()));
        OrchDist.Result r = dist.run(List.of(dist.home().resolve("bin/orchd").toString()), Duration.ofSeconds(90));
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.stderr().lines().filter(l -> !l.isBlank()).toList()).containsExactly("orchd: cannot start: orch.host.labels=\"environment=staging,role\""
                + " is invalid at \"role\": not key=value; use key=value pairs separated by commas, e.g. environment=staging,role=web");
    }
}
