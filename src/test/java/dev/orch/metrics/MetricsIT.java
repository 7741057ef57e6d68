package dev.orch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.cli.ProcessDaemon;
import dev.orch.testing.WebApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scrapes the management listener as Prometheus would, checks the exposition with {@code promtool check metrics}
 * and follows the values through two rollouts with traffic through the route.
 */
class MetricsIT {
    @TempDir
    Path dir;

    @Test
    void exposition_passesPromtool_andMovesWithRollouts() throws Exception {
        WebApp web = new WebApp(dir);
        try (ProcessDaemon orchd = ProcessDaemon.start(dir)) {
            orchd.ok("apply", "-f", web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60).toString());
            orchd.ok("rollout", "status", "web", "--timeout", "90s");
            for (int i = 0; i < 5; i++) {
                assertThat(get(web)).contains("v1");
            }
            String first = orchd.scrape();
            promtool(first);
            assertThat(Exposition.valueOrZero(first, "orch_app_live", Map.of("app", "web", "color", "blue"))).isEqualTo(1);
            assertThat(Exposition.valueOrZero(first, "orch_app_live_revision", Map.of("app", "web"))).isEqualTo(1);
            assertThat(Exposition.valueOrZero(first, "orch_app_replicas_ready", Map.of("app", "web", "color", "blue"))).isEqualTo(1);
            assertThat(Exposition.valueOrZero(first, "orch_app_replicas_desired", Map.of("app", "web"))).isEqualTo(1);
            assertThat(Exposition.valueOrZero(first, "orch_app_revision_info", Map.of("app", "web", "color", "blue", "revision", "1"))).isEqualTo(1);
            assertThat(Exposition.valueOrZero(first, "orch_rollouts_total", Map.of("app", "web", "result", "complete"))).isEqualTo(1);
            assertThat(Exposition.valueOrZero(first, "orch_route_requests_total", Map.of("app", "web", "color", "blue", "status", "2xx")))
                    .isGreaterThanOrEqualTo(5);
            assertThat(Exposition.valueOrZero(first, "orch_route_request_duration_seconds_count", Map.of("app", "web", "color", "blue")))
                    .isGreaterThanOrEqualTo(5);
            assertThat(Exposition.value(first, "orch_route_requests_in_flight", Map.of("app", "web", "color", "blue"))).hasValue(0);
            assertThat(Exposition.valueOrZero(first, "orch_reconcile_duration_seconds_count", Map.of("result", "success"))).isPositive();
            assertThat(Exposition.value(first, "orch_work_queue_depth", Map.of())).isPresent();
            assertThat(Exposition.value(first, "jvm_memory_used_bytes", Map.of())).isPresent();
            assertThat(Exposition.value(first, "process_cpu_usage", Map.of())).isPresent();

            // keep-warm of 1 s: the rollout completes (and is counted) soon after the switch
            orchd.ok("apply", "-f", web.manifest("v2", WebApp.READY_ON_HEALTHZ, 60, 1, 0).toString());
            orchd.ok("rollout", "status", "web", "--timeout", "90s");
            for (int i = 0; i < 3; i++) {
                assertThat(get(web)).contains("v2");
            }
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> Exposition.valueOrZero(orchd.scrape(),
                    "orch_rollouts_total", Map.of("app", "web", "result", "complete")) == 2);
            String second = orchd.scrape();
            promtool(second);
            assertThat(Exposition.valueOrZero(second, "orch_app_live", Map.of("app", "web", "color", "green"))).isEqualTo(1);
            assertThat(Exposition.valueOrZero(second, "orch_app_live", Map.of("app", "web", "color", "blue"))).isEqualTo(0);
            assertThat(Exposition.valueOrZero(second, "orch_app_live_revision", Map.of("app", "web"))).isEqualTo(2);
            assertThat(Exposition.valueOrZero(second, "orch_app_revision_info", Map.of("app", "web", "color", "green", "revision", "2"))).isEqualTo(1);
            assertThat(Exposition.valueOrZero(second, "orch_rollouts_total", Map.of("app", "web", "result", "complete"))).isEqualTo(2);
            assertThat(Exposition.valueOrZero(second, "orch_route_requests_total", Map.of("app", "web", "color", "green", "status", "2xx")))
                    .isGreaterThanOrEqualTo(3);
            assertThat(Exposition.valueOrZero(second, "orch_route_requests_total", Map.of("app", "web", "color", "blue", "status", "2xx")))
                    .isEqualTo(Exposition.valueOrZero(first, "orch_route_requests_total", Map.of("app", "web", "color", "blue", "status", "2xx")));

            orchd.ok("delete", "app", "web");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                    .until(() -> Exposition.value(orchd.scrape(), "orch_app_live", Map.of("app", "web")).isEmpty());
            assertThat(Exposition.value(orchd.scrape(), "orch_route_requests_total", Map.of("app", "web"))).isEmpty();
        }
    }

    /**
     * Plain HTTP/1.1 GETs, as most scrapers and load balancers send them (java.net.http's default would add
     * {@code Upgrade: h2c}, which the route ignores: it does not upgrade to h2c).
     */
    private static String get(WebApp web) throws IOException, InterruptedException {
        return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                .send(java.net.http.HttpRequest.newBuilder(web.uri()).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * promtool reads the exposition on stdin. A parse error (exit 1) always fails. Lint problems (exit 3) fail for
     * every {@code orch_} metric, with one exception promtool 2.42 gets wrong: the Prometheus Java client 1.x writes
     * a counter's TYPE and HELP under the family name ({@code # HELP orch_rollouts ...}) and its sample as
     * {@code orch_rollouts_total}, which promtool 2.42 reports as "no help text"; for those the HELP line must exist
     * under the family name and say something. Lint of the JVM meters Micrometer names is not ours to fix.
     */
    private void promtool(String exposition) throws IOException, InterruptedException {
        Path f = dir.resolve("scrape.txt");
        Files.writeString(f, exposition);
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(f.toFile()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("line (\\d+)").matcher(out);
        String line = m.find() ? exposition.lines().skip(Long.parseLong(m.group(1)) - 1).findFirst().orElse("") : "";
        assertThat(p.exitValue()).as("promtool check metrics found errors:%n%s%s", out, line).isIn(0, 3);
        for (String problem : out.lines().filter(l -> l.startsWith("orch_")).toList()) {
            String metric = problem.substring(0, problem.indexOf(' '));
            boolean counterArtifact = problem.endsWith(" no help text") && metric.endsWith("_total")
                    && exposition.contains("# TYPE " + metric.substring(0, metric.length() - 6) + " counter\n")
                    && exposition.lines().anyMatch(l -> l.startsWith("# HELP " + metric.substring(0, metric.length() - 6) + " ")
                            && l.length() > ("# HELP " + metric).length() - 6 + 5);
            assertThat(counterArtifact).as("promtool: %s", problem).isTrue();
        }
        // every orch_ family has a TYPE and a non-empty HELP
        for (String type : exposition.lines().filter(l -> l.startsWith("# TYPE orch_")).toList()) {
            String family = type.split(" ")[2];
            assertThat(exposition.lines().filter(l -> l.startsWith("# HELP " + family + " ")).findFirst())
                    .as("HELP of %s", family).hasValueSatisfying(h -> assertThat(h.substring(("# HELP " + family).length()).strip()).isNotEmpty());
        }
    }
}
