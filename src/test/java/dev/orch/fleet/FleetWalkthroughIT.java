package dev.orch.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.testing.OrchDist;
import dev.orch.testing.ReadmeWalkthrough;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's "Staging and production" block, run line by line with the packaged orchctl (no daemon). */
class FleetWalkthroughIT {
    @TempDir
    Path dir;

    @Test
    void theStagingAndProductionWalkthroughRuns() throws Exception {
        Path fleet = dir.resolve("manifests/fleet");
        Files.createDirectories(fleet);
        for (String f : List.of("web.yaml", "worker.yaml")) {
            Files.copy(Path.of("manifests/fleet").resolve(f), fleet.resolve(f));
        }
        OrchDist dist = OrchDist.packaged();
        String orchctl = dist.home().resolve("bin/orchctl").toString();
        List<ReadmeWalkthrough.Step> steps = ReadmeWalkthrough.steps(Path.of("README.md"), "## Staging and production");
        assertThat(steps).hasSize(5);
        for (ReadmeWalkthrough.Step s : steps) {
            assertThat(s.command()).startsWith("orchctl ");
            OrchDist.Result r = dist.run(List.of("bash", "-c", "cd " + dir + " && " + orchctl + s.command().substring("orchctl".length())),
                    Duration.ofSeconds(60));
            assertThat(r.exitCode()).as("README line %d: %s: %s", s.line(), s.command(), r).isZero();
            assertThat(r.stdout()).as("README line %d: %s", s.line(), s.command()).contains(s.expect());
        }
        assertThat(Files.readString(dir.resolve("k8s/web.yaml"))).contains("kind: Deployment", "kind: Service", "image: registry.example.com/web:1.0");
        assertThat(dir.resolve("k8s/worker.yaml")).exists();

        // an app without the image annotation: refused with its file and line, nothing written
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("web.yaml"), Files.readString(fleet.resolve("web.yaml")).replace("    export.orch.dev/image:", "    other.example/image:"));
        Files.copy(fleet.resolve("worker.yaml"), bad.resolve("worker.yaml"));
        OrchDist.Result refused = dist.orchctl("export", "kubernetes", "-f", bad.toString(), "-o", dir.resolve("out").toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).isEqualTo("web: spec.overrides not exported (the manifest's own values are); give --host-labels for one"
                + " environment's\n" + bad.resolve("web.yaml") + ":3: metadata.annotations[\"export.orch.dev/image\"]: required for export:"
                + " name the container image that holds the app (an artifact is a file, not an image)\n1 app(s) cannot be exported; nothing was written\n");
        assertThat(dir.resolve("out")).doesNotExist();
    }
}
