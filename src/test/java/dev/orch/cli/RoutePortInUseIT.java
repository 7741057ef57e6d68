package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orch.testing.OrchDist;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route whose port another process holds (orch cannot know at apply time): the app is Stalled with reason
 * PortInUse and a warning event, and {@code orchctl rollout status} fails at once with that reason.
 */
class RoutePortInUseIT {
    @TempDir
    Path dir;

    @Test
    void aPortHeldByAnotherProcessStallsTheAppWithPortInUse() throws Exception {
        int port = FreePort.find();
        Process holder = new ProcessBuilder("/usr/bin/python3", "-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("holder.log").toFile()).start();
        try (ProcessDaemon orchd = ProcessDaemon.start(dir)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return true;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            Path f = dir.resolve("web.yaml");
            Files.writeString(f, RoutePortClaimIT.manifest("web", port));
            assertThat(orchd.ok("apply", "-f", f.toString())).isEqualTo("deployment.orch.dev/web created\n");

            OrchDist.Result status = orchd.orchctl("rollout", "status", "web", "--timeout=120s");
            assertThat(status.exitCode()).as("%s", status).isEqualTo(1);
            assertThat(status.stderr()).startsWith("error: rollout of web is stalled: PortInUse: route of app web cannot listen on 0.0.0.0:"
                    + port + ": address already in use (another process listens there)");

            JsonNode app = new ObjectMapper().readTree(orchd.ok("get", "app", "web", "-o", "json"));
            JsonNode stalled = null;
            for (JsonNode c : app.path("status").path("conditions")) {
                if (c.path("type").asText().equals("Stalled")) {
                    stalled = c;
                }
            }
            assertThat(stalled).as("%s", app).isNotNull();
            assertThat(stalled.path("status").asText()).isEqualTo("True");
            assertThat(stalled.path("reason").asText()).isEqualTo("PortInUse");
            assertThat(stalled.path("message").asText()).startsWith("route of app web cannot listen on 0.0.0.0:" + port + ": address already in use");
            assertThat(orchd.ok("events", "--app", "web")).contains("PortInUse");
            orchd.ok("delete", "app", "web");
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }
}
