package dev.orch.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orch.cli.ProcessDaemon;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /q/health, /q/health/live and /q/health/ready on the management listener of a real orchd with git
 * repositories configured (orchd must come up with them): a real local bare repository, and one whose fetch
 * fails (nothing listens on its loopback port), which makes orchd not ready and is named.
 */
class HealthIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void healthNamesTheRepositoryWhoseFetchFails() throws Exception {
        Path bare = bareRepoWithOneCommit();
        int nobody;
        try (ServerSocket s = new ServerSocket(0)) {
            nobody = s.getLocalPort(); // closed again: a fetch from it is refused
        }
        String broken = "http://127.0.0.1:" + nobody + "/apps.git";
        try (ProcessDaemon orchd = ProcessDaemon.start(dir, Map.of("ORCH_GIT_REPOS_APPS_URL", bare.toUri().toString(),
                "ORCH_GIT_REPOS_BROKEN_URL", broken), "")) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + orchd.managementPort() + "/q/health";

            // both first fetches have happened once the good one is synced and the broken one reports its failure
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                String b = get(http, base + "/ready").body();
                return b.contains("Unreachable") && b.contains("fetched: Synced");
            });
            HttpResponse<String> ready = get(http, base + "/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode r = JSON.readTree(ready.body());
            assertThat(r.path("status").asText()).isEqualTo("DOWN");
            assertThat(check(r, "state-dir").path("status").asText()).isEqualTo("UP");
            JsonNode git = check(r, "git");
            assertThat(git.path("status").asText()).isEqualTo("DOWN");
            assertThat(git.path("data").path("broken").asText()).startsWith("not fetched: Unreachable: fetch of main from " + broken + " failed");
            assertThat(git.path("data").path("apps").asText()).startsWith("fetched: Synced");

            HttpResponse<String> live = get(http, base + "/live");
            assertThat(live.statusCode()).isEqualTo(200);
            JsonNode l = JSON.readTree(live.body());
            assertThat(l.path("status").asText()).isEqualTo("UP");
            assertThat(names(l)).containsExactly("control-loop");

            HttpResponse<String> all = get(http, base);
            assertThat(all.statusCode()).isEqualTo(503);
            assertThat(names(JSON.readTree(all.body()))).containsExactlyInAnyOrder("control-loop", "state-dir", "git");
        }
    }

    @Test
    void readyWithAGoodRepositoryAndAWritableStateDir() throws Exception {
        Path bare = bareRepoWithOneCommit();
        try (ProcessDaemon orchd = ProcessDaemon.start(dir, Map.of("ORCH_GIT_REPOS_APPS_URL", bare.toUri().toString()), "")) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + orchd.managementPort() + "/q/health";
            await().atMost(Duration.ofSeconds(60)).until(() -> get(http, base + "/ready").statusCode() == 200);
            JsonNode r = JSON.readTree(get(http, base + "/ready").body());
            assertThat(r.path("status").asText()).isEqualTo("UP");
            assertThat(check(r, "git").path("data").path("apps").asText()).startsWith("fetched: Synced");
            assertThat(check(r, "state-dir").path("data").path("path").asText()).isEqualTo(orchd.state().toString());
            assertThat(get(http, base).statusCode()).isEqualTo(200);
            assertThat(orchd.state().resolve(".health-probe")).doesNotExist();
        }
    }

    private Path bareRepoWithOneCommit() throws Exception {
        Path bare = dir.resolve("apps.git");
        git(dir, "init", "-q", "--bare", "-b", "main", bare.toString());
        Path work = dir.resolve("work");
        git(dir, "clone", "-q", bare.toString(), work.toString());
        Files.writeString(work.resolve("README"), "no manifests yet\n");
        git(work, "add", "README");
        git(work, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "empty");
        git(work, "push", "-q", "origin", "HEAD:main");
        return bare;
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode check(JsonNode health, String name) {
        for (JsonNode c : health.path("checks")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + health);
    }

    private static List<String> names(JsonNode health) {
        List<String> out = new ArrayList<>();
        health.path("checks").forEach(c -> out.add(c.path("name").asText()));
        return out;
    }

    private static void git(Path cwd, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("git %s: %s", String.join(" ", args), out).isZero();
    }
}
