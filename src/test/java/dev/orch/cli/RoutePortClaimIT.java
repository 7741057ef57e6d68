package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.testing.OrchDist;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route on a port orch knows the owner of is refused at apply time, dry-run=server too, with an error that
 * names the owner: orchd's own management listener, another app's route. Nothing is stored.
 */
class RoutePortClaimIT {
    @TempDir
    Path dir;

    static String manifest(String app, int port) {
        return """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: %s
                spec:
                  route:
                    port: %d
                  template:
                    command: ["/bin/sleep", "600"]
                """.formatted(app, port);
    }

    @Test
    void ownPortsAndAnotherAppsRouteAreRefusedAtApply() throws Exception {
        try (ProcessDaemon orchd = ProcessDaemon.start(dir)) {
            Path own = dir.resolve("own.yaml");
            Files.writeString(own, manifest("own", orchd.managementPort()));
            for (String dryRun : new String[] {"--dry-run=server", "--dry-run=none"}) {
                OrchDist.Result r = orchd.orchctl("apply", "-f", own.toString(), dryRun);
                assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
                assertThat(r.stderr()).contains("own: spec.route.port: port " + orchd.managementPort()
                        + " is orchd's metrics and health listener (quarkus.management.port); choose another port");
            }
            assertThat(orchd.state().resolve("apps/own")).doesNotExist();

            int port = FreePort.find();
            Path first = dir.resolve("first.yaml");
            Files.writeString(first, manifest("first", port));
            assertThat(orchd.ok("apply", "-f", first.toString())).isEqualTo("deployment.orch.dev/first created\n");
            Path second = dir.resolve("second.yaml");
            Files.writeString(second, manifest("second", port));
            for (String dryRun : new String[] {"--dry-run=server", "--dry-run=none"}) {
                OrchDist.Result r = orchd.orchctl("apply", "-f", second.toString(), dryRun);
                assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
                assertThat(r.stderr()).contains("second: spec.route.port: port " + port + " is already the route of app \"first\"; choose another port");
            }
            assertThat(orchd.state().resolve("apps/second")).doesNotExist();
            // the app itself may keep its port
            assertThat(orchd.ok("apply", "-f", first.toString())).isEqualTo("deployment.orch.dev/first unchanged\n");
            orchd.ok("delete", "app", "first");
        }
    }
}
