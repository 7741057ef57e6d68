package dev.orch.api;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intake serialises applies of one app: 200 concurrent applies through the real API (TCP listener) hand out
 * distinct generations, the stored one the highest; 200 identical ones tell exactly one caller "created". The
 * quick applies also leave the app rolled out, not stuck Degraded on aborting colors that were never installed.
 */
class ConcurrentApplyIT {
    static final int CALLS = 200;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static String manifest(String app, int routePort, String value) {
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
                    env:
                      - name: VERSION
                        value: "%s"
                """.formatted(app, routePort, value);
    }

    @Test
    void concurrentAppliesOfOneAppLoseNothing() throws Exception {
        int apiPort;
        int routeA;
        int routeB;
        try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0); ServerSocket c = new ServerSocket(0)) {
            apiPort = a.getLocalPort();
            routeA = b.getLocalPort();
            routeB = c.getLocalPort();
        }
        try (ProcessDaemon orchd = ProcessDaemon.start(dir, Map.of("ORCH_API_TCP_ENABLED", "true", "ORCH_API_TCP_PORT", Integer.toString(apiPort)), "")) {
            String token = Files.readString(orchd.state().resolve("api-token")).strip();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI apps = URI.create("http://127.0.0.1:" + apiPort + "/api/v1/apps");

            List<JsonNode> different = hammer(http, apps, token, i -> manifest("web", routeA, "v" + i));
            Set<Long> generations = new HashSet<>();
            long created = 0;
            for (JsonNode r : different) {
                generations.add(r.path("generation").asLong());
                created += r.path("result").asText().equals("created") ? 1 : 0;
                assertThat(r.path("result").asText()).isIn("created", "configured");
            }
            assertThat(generations).hasSize(CALLS);
            assertThat(created).isEqualTo(1);
            long stored = get(http, URI.create(apps + "/web"), token).path("desired").path("generation").asLong();
            assertThat(stored).isEqualTo(generations.stream().mapToLong(Long::longValue).max().orElseThrow()).isEqualTo(CALLS);

            List<JsonNode> identical = hammer(http, apps, token, i -> manifest("same", routeB, "v1"));
            assertThat(identical).extracting(r -> r.path("result").asText()).filteredOn("created"::equals).hasSize(1);
            assertThat(identical).extracting(r -> r.path("result").asText()).filteredOn("unchanged"::equals).hasSize(CALLS - 1);
            assertThat(identical).extracting(r -> r.path("generation").asLong()).containsOnly(1L);

            // the aborted rollouts of the quick applies end: the last desired state rolls out
            orchd.ok("rollout", "status", "web", "--timeout=120s");
            JsonNode status = get(http, URI.create(apps + "/web"), token).path("status");
            List<String> conditions = new ArrayList<>();
            status.path("conditions").forEach(c -> conditions.add(c.path("type").asText() + "=" + c.path("status").asText()));
            assertThat(conditions).doesNotContain("Degraded=True");
            orchd.ok("delete", "app", "web");
            orchd.ok("delete", "app", "same");
        }
    }

    private static List<JsonNode> hammer(HttpClient http, URI apps, String token, IntFunction<String> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> calls = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                HttpRequest req = HttpRequest.newBuilder(apps).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(body.apply(i))).build();
                calls.add(pool.submit(() -> {
                    go.await();
                    return http.send(req, HttpResponse.BodyHandlers.ofString());
                }));
            }
            go.countDown();
            List<JsonNode> out = new ArrayList<>();
            for (Future<HttpResponse<String>> f : calls) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).as("%s", r.body()).isEqualTo(200);
                JsonNode results = JSON.readTree(r.body());
                assertThat(results).hasSize(1);
                out.add(results.get(0));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static JsonNode get(HttpClient http, URI uri, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
