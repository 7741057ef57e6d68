package dev.orch.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orch.cli.ProcessDaemon;
import dev.orch.testing.WebApp;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real orchd from the packaged dist sends a rollout's events to two real HTTP receivers on loopback: a signed
 * webhook and a Slack-shaped one; the webhook answers 503 through a whole second rollout, then gets every event
 * it missed, once each, in order.
 */
class NotificationsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aRolloutIsNotifiedInOrderSignedAndSurvivesAReceiverOutage() throws Exception {
        WebApp web = new WebApp(dir);
        Path secret = Files.writeString(dir.resolve("notify-secret"), "it-secret\n");
        try (RecordingReceiver ops = new RecordingReceiver(); RecordingReceiver chat = new RecordingReceiver()) {
            String opts = "-Dorch.notify.receivers.ops.url=" + ops.url() + " -Dorch.notify.receivers.ops.secret-file=" + secret
                    + " -Dorch.notify.receivers.chat.type=slack -Dorch.notify.receivers.chat.url=" + chat.url()
                    + " -Dorch.notify.receivers.chat.reasons=Switched";
            try (ProcessDaemon orchd = ProcessDaemon.start(dir, Map.of(), opts)) {
                orchd.ok("apply", "-f", web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60, 1, 0).toString());
                orchd.ok("rollout", "status", "web", "--timeout", "90s");
                List<JsonNode> first = receive(ops, List.of("RolloutStarted", "Switched", "RolloutComplete"));
                for (JsonNode e : first) {
                    assertThat(e.get("app").asText()).isEqualTo("web");
                    assertThat(e.get("host").asText()).isEqualTo(InetAddress.getLocalHost().getHostName());
                }
                assertThat(first.get(1).get("severity").asText()).isEqualTo("info");
                assertThat(first.get(2).get("revision").asInt()).isEqualTo(1);
                assertThat(first.get(2).get("liveColor").asText()).isEqualTo("blue");
                for (RecordingReceiver.Delivery d : ops.all) {
                    assertThat(d.signature()).isEqualTo(hmac("it-secret", d.body()));
                }
                JsonNode slack = JSON.readTree(chat.next().body());
                NotifierTest.assertSlackMessage(slack);
                assertThat(slack.get("text").asText()).isEqualTo("web on " + InetAddress.getLocalHost().getHostName() + ": Switched");
                double[] before = reconcileSeconds(orchd.scrape());

                ops.unavailable.set(Integer.MAX_VALUE); // 503 until told otherwise
                long outageStart = System.nanoTime();
                orchd.ok("apply", "-f", web.manifest("v2", WebApp.READY_ON_HEALTHZ, 60, 1, 0).toString());
                orchd.ok("rollout", "status", "web", "--timeout", "90s");
                double[] during = reconcileSeconds(orchd.scrape());
                awaitFailed(orchd, 5); // an outage of 1 + 2 + 4 + 8 s of backoff: past the 3 failures that log "failing"
                String table = orchd.ok("get", "notifications");
                assertThat(table.lines().findFirst().orElseThrow().split("\\s{3,}"))
                        .containsExactly("NAME", "TYPE", "URL", "SENT", "FAILED", "DROPPED", "QUEUED", "LAST DELIVERY", "LAST ERROR");
                assertThat(table).containsPattern("(?m)^ops\\s+webhook\\s+http://127\\.0\\.0\\.1:\\d+\\s+3\\s+\\d+\\s+0\\s+\\d+\\s+\\S+ ago\\s+failing: HTTP 503$");
                long down = (System.nanoTime() - outageStart) / 1_000_000;
                Thread.sleep(Math.max(0, 30_000 - down)); // the receiver stays down for 30 s at least
                System.out.printf("receiver down for %d ms%n", (System.nanoTime() - outageStart) / 1_000_000);
                ops.unavailable.set(0);

                List<JsonNode> second = receive(ops, List.of("RolloutStarted", "Switched", "RolloutComplete"));
                assertThat(second.get(2).get("revision").asInt()).isEqualTo(2);
                assertThat(second.get(2).get("liveColor").asText()).isEqualTo("green");
                assertThat(new HashSet<>(ops.all.stream().map(RecordingReceiver.Delivery::body).toList())).hasSize(6);
                assertThat(ops.all).hasSize(6);
                assertThat(ops.refused.get()).isGreaterThanOrEqualTo(5);
                JsonNode listed = JSON.readTree(orchd.ok("get", "notifications", "ops", "-o", "json")).get(0);
                assertThat(listed.get("name").asText()).isEqualTo("ops");
                assertThat(listed.get("dropped").asLong()).isZero();
                assertThat(listed.get("failed").asLong()).isEqualTo(ops.refused.get());
                System.out.printf("reconcile latency: %.1f ms mean before the outage (%d passes), %.1f ms during it (%d passes)%n",
                        1000 * before[0] / before[1], (long) before[1], 1000 * (during[0] - before[0]) / (during[1] - before[1]),
                        (long) (during[1] - before[1]));
                assertThat(orchd.log().split("notifications failing: receiver ops", -1)).hasSize(2); // logged once
                assertThat(orchd.log()).contains("notifications to ops delivered again after");
                String metrics = orchd.scrape();
                assertThat(metrics).contains("orch_notifications_total{receiver=\"ops\",result=\"sent\"} 6.0");
                assertThat(metrics).contains("orch_notifications_total{receiver=\"chat\",result=\"sent\"} 2.0");
            }
        }
    }

    @Test
    void aGitSourceIsNotifiedWhenACommitIsAppliedAndWhenItsRemoteFails() throws Exception {
        WebApp web = new WebApp(dir);
        Path bare = dir.resolve("apps.git");
        Path work = dir.resolve("work");
        git(dir, "init", "-q", "--bare", "-b", "main", bare.toString());
        git(dir, "clone", "-q", bare.toString(), work.toString());
        git(work, "config", "user.name", "Dev Eloper");
        git(work, "config", "user.email", "dev@example.com");
        Files.createDirectories(work.resolve("apps"));
        Files.copy(web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60), work.resolve("apps/web.yaml"));
        git(work, "add", "-A");
        git(work, "commit", "-q", "-m", "web v1");
        String commit = git(work, "rev-parse", "HEAD").strip();
        git(work, "push", "-q", "origin", "main");
        try (RecordingReceiver ops = new RecordingReceiver()) {
            String opts = "-Dorch.notify.receivers.ops.url=" + ops.url() + " -Dorch.notify.receivers.ops.reasons=SourceSynced,SourceFailed"
                    + " -Dorch.git.repos.apps.url=" + bare.toUri() + " -Dorch.git.repos.apps.path=apps -Dorch.git.repos.apps.poll=1s";
            try (ProcessDaemon orchd = ProcessDaemon.start(dir, Map.of(), opts)) {
                JsonNode synced = JSON.readTree(ops.next().body());
                assertThat(synced.get("reason").asText()).isEqualTo("SourceSynced");
                assertThat(synced.get("app").asText()).isEqualTo("web");
                assertThat(synced.get("source").asText()).isEqualTo("apps");
                assertThat(synced.get("commit").asText()).isEqualTo("main@sha1:" + commit);
                assertThat(synced.get("severity").asText()).isEqualTo("info");

                String remote = bare.toUri().toString(); // as configured (a directory's URI ends in /)
                Files.move(bare, dir.resolve("gone.git")); // the remote disappears
                JsonNode failed = JSON.readTree(ops.next().body());
                assertThat(failed.get("reason").asText()).isEqualTo("SourceFailed");
                assertThat(failed.get("severity").asText()).isEqualTo("error");
                assertThat(failed.get("app").isNull()).isTrue();
                assertThat(failed.get("source").asText()).isEqualTo("apps");
                assertThat(failed.get("message").asText())
                        .isEqualTo("fetch of main from " + remote + " failed: Invalid remote: " + remote + ": " + remote + ": not found.");
                assertThat(ops.all).hasSize(2);
            }
        }
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", cmd, out).isZero();
        return out;
    }

    /** The next deliveries, which must carry exactly these reasons in this order. */
    private static List<JsonNode> receive(RecordingReceiver r, List<String> reasons) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String ignored : reasons) {
            out.add(JSON.readTree(r.next().body()));
        }
        assertThat(out.stream().map(e -> e.get("reason").asText()).toList()).containsExactlyElementsOf(reasons);
        return out;
    }

    private static String hmac(String key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Sum and count of {@code orch_reconcile_duration_seconds} over every result. */
    private static double[] reconcileSeconds(String exposition) {
        double[] out = new double[2];
        for (String line : exposition.split("\n")) {
            if (line.startsWith("orch_reconcile_duration_seconds_sum")) {
                out[0] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("orch_reconcile_duration_seconds_count")) {
                out[1] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return out;
    }

    /** Until orchd has counted this many failed attempts to ops (a bound on a hang, not a timed assertion). */
    private static void awaitFailed(ProcessDaemon orchd, int n) throws Exception {
        for (int i = 0; i < 600; i++) {
            JsonNode r = JSON.readTree(orchd.ok("get", "notifications", "ops", "-o", "json")).get(0);
            if (r.get("failed").asLong() >= n) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("ops never failed " + n + " times");
    }
}
