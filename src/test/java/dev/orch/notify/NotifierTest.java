package dev.orch.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orch.state.ActualState;
import dev.orch.state.AppEvent;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.Reason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NotifierTest {
    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RecordingReceiver receiver = new RecordingReceiver();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Notifier notifier;

    @AfterEach
    void close() {
        if (notifier != null) {
            notifier.close();
        }
        receiver.close();
    }

    private Notifier notifier(ReceiverSpec.Type type, byte[] secret, List<String> apps, List<String> reasons, Severity severity,
            int queueSize, Poster poster) {
        ReceiverSpec spec = new ReceiverSpec("team", type, receiver.url(), secret, apps, reasons, severity, Duration.ofSeconds(5));
        ReceiverWorker w = new ReceiverWorker(spec, new ReceiverWorker.Settings(queueSize, 20, Duration.ofMinutes(5),
                Duration.ofMillis(20), Duration.ofMillis(100)), poster, Clock.systemUTC(), registry);
        notifier = new Notifier(List.of(w), "vm-1", (app, n) -> "main@sha1:abc" + n, Clock.systemUTC());
        return notifier;
    }

    private Notifier webhook() {
        return notifier(ReceiverSpec.Type.WEBHOOK, SECRET, List.of(), List.of(), Severity.INFO, 100, Poster.jdk());
    }

    private static ActualState liveBlue(int revision) {
        return ActualState.EMPTY.withColor(Color.BLUE, new ColorState(revision, "h" + revision, List.of(8080), List.of("web-blue.service"), Instant.EPOCH))
                .withLive(Color.BLUE);
    }

    private static AppEvent event(Reason reason, String message) {
        return AppEvent.normal(Instant.parse("2026-01-01T00:00:00Z"), reason, message);
    }

    /** Waits for the delivery thread to count what the receiver already has (a bound on a hang, not a timed assertion). */
    private static void awaitSent(Notifier n, long sent) throws InterruptedException {
        for (int i = 0; i < 6000 && n.statuses().get(0).sent() < sent; i++) {
            Thread.sleep(10);
        }
    }

    private double count(String result) {
        return registry.get("orch_notifications").tags("receiver", "team", "result", result).counter().count();
    }

    @Test
    void aWebhookGetsTheEventInOrderWithItsFieldsAndAValidSignature() throws Exception {
        Notifier n = webhook();
        n.recorded("web", liveBlue(3), event(Reason.ROLLOUT_STARTED, "revision 4"));
        n.recorded("web", liveBlue(3), event(Reason.SWITCHED, "green is live"));
        RecordingReceiver.Delivery first = receiver.next();
        RecordingReceiver.Delivery second = receiver.next();
        JsonNode a = JSON.readTree(first.body());
        assertThat(a.get("app").asText()).isEqualTo("web");
        assertThat(a.get("host").asText()).isEqualTo("vm-1");
        assertThat(a.get("reason").asText()).isEqualTo("RolloutStarted");
        assertThat(a.get("severity").asText()).isEqualTo("info");
        assertThat(a.get("message").asText()).isEqualTo("revision 4");
        assertThat(a.get("revision").asInt()).isEqualTo(3);
        assertThat(a.get("liveColor").asText()).isEqualTo("blue");
        assertThat(a.get("commit").asText()).isEqualTo("main@sha1:abc3");
        assertThat(a.get("time").asText()).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(JSON.readTree(second.body()).get("reason").asText()).isEqualTo("Switched");
        assertThat(first.contentType()).isEqualTo("application/json");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        assertThat(first.signature()).isEqualTo("sha256=" + HexFormat.of().formatHex(mac.doFinal(first.body().getBytes(StandardCharsets.UTF_8))));
        java.time.Instant beforeLast = java.time.Instant.now();
        awaitSent(n, 2);
        assertThat(n.statuses().get(0).lastDelivery()).as("the last delivery's time").isBetween(beforeLast.minusSeconds(60), java.time.Instant.now());
        assertThat(n.statuses().get(0).lastError()).isNull();
    }

    @Test
    void aReceiverAnswering503IsRetriedUntilItAcceptsAndNothingIsDuplicated() throws Exception {
        receiver.unavailable.set(5);
        Notifier n = webhook();
        n.recorded("web", liveBlue(1), event(Reason.ROLLOUT_STARTED, "revision 2"));
        n.recorded("web", liveBlue(1), event(Reason.SWITCHED, "green is live"));
        assertThat(JSON.readTree(receiver.next().body()).get("reason").asText()).isEqualTo("RolloutStarted");
        assertThat(JSON.readTree(receiver.next().body()).get("reason").asText()).isEqualTo("Switched");
        assertThat(receiver.refused.get()).isEqualTo(5);
        assertThat(receiver.all).hasSize(2);
        awaitSent(n, 2);
        ReceiverStatus s = n.statuses().get(0);
        assertThat(s.sent()).isEqualTo(2);
        assertThat(s.failed()).isEqualTo(5);
        assertThat(s.lastError()).isEqualTo("HTTP 503");
        assertThat(s.failing()).isFalse();
        assertThat(count("sent")).isEqualTo(2.0);
        assertThat(count("failed")).isEqualTo(5.0);
    }

    @Test
    void identicalEventsWithinTheWindowAreSentOnce() throws Exception {
        Notifier n = webhook();
        n.recorded("web", liveBlue(1), event(Reason.ROUTE_CORRECTED, "route fixed"));
        n.recorded("web", liveBlue(1), event(Reason.ROUTE_CORRECTED, "route fixed"));
        n.recorded("web", liveBlue(1), event(Reason.PROMOTED, "done"));
        assertThat(JSON.readTree(receiver.next().body()).get("reason").asText()).isEqualTo("RouteCorrected");
        assertThat(JSON.readTree(receiver.next().body()).get("reason").asText()).isEqualTo("Promoted");
        assertThat(receiver.all).hasSize(2);
    }

    @Test
    void filtersByAppReasonAndSeverity() throws Exception {
        Notifier n = notifier(ReceiverSpec.Type.WEBHOOK, null, List.of("web"), List.of("ProgressDeadlineExceeded", "Switched", "RouteCorrected"),
                Severity.WARNING, 100, Poster.jdk());
        n.recorded("db", liveBlue(1), AppEvent.warning(Instant.EPOCH, Reason.PROGRESS_DEADLINE_EXCEEDED, "other app"));
        n.recorded("web", liveBlue(1), event(Reason.SWITCHED, "info is below warning"));
        n.recorded("web", liveBlue(1), AppEvent.warning(Instant.EPOCH, Reason.RECONCILE_ERROR, "reason not listed"));
        n.recorded("web", liveBlue(1), AppEvent.warning(Instant.EPOCH, Reason.PROGRESS_DEADLINE_EXCEEDED, "probe /ready: 500"));
        JsonNode d = JSON.readTree(receiver.next().body());
        assertThat(d.get("message").asText()).isEqualTo("probe /ready: 500");
        assertThat(d.get("severity").asText()).isEqualTo("error");
        assertThat(d.get("revision").asInt()).isEqualTo(1);
        assertThat(receiver.all).hasSize(1);
        assertThat(receiver.all.get(0).signature()).isNull();
    }

    @Test
    void aFullQueueDropsWithoutBlockingTheCaller() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Poster stuck = (url, headers, body, timeout) -> {
            release.await();
            return 204;
        };
        Notifier n = notifier(ReceiverSpec.Type.WEBHOOK, null, List.of(), List.of(), Severity.INFO, 2, stuck);
        for (int i = 0; i < 10; i++) {
            n.recorded("web", liveBlue(1), event(Reason.ROLLOUT_STARTED, "revision " + i));
        }
        // the delivery thread holds one, the queue two: at least seven of ten were dropped, none waited
        assertThat(n.statuses().get(0).dropped()).isBetween(7L, 8L);
        assertThat(count("dropped")).isBetween(7.0, 8.0);
        release.countDown();
    }

    @Test
    void aSlackReceiverGetsOnlySlackIncomingWebhookFields() throws Exception {
        Notifier n = notifier(ReceiverSpec.Type.SLACK, null, List.of(), List.of(), Severity.INFO, 100, Poster.jdk());
        n.recorded("web", liveBlue(2), AppEvent.warning(Instant.parse("2026-01-01T00:00:00Z"), Reason.PROGRESS_DEADLINE_EXCEEDED, "probe /ready: 500"));
        JsonNode d = JSON.readTree(receiver.next().body());
        assertSlackMessage(d);
        assertThat(d.get("text").asText()).isEqualTo(":x: web on vm-1: ProgressDeadlineExceeded");
        JsonNode att = d.get("attachments").get(0);
        assertThat(att.get("color").asText()).isEqualTo("danger");
        assertThat(att.get("text").asText()).isEqualTo("probe /ready: 500");
        assertThat(att.get("ts").asLong()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").getEpochSecond());
        assertThat(att.get("fields").toString()).contains("{\"title\":\"Commit\",\"value\":\"main@sha1:abc2\",\"short\":true}");
    }

    /**
     * Slack's incoming webhooks (api.slack.com/messaging/webhooks) take {@code text} and optionally {@code blocks}
     * and {@code attachments}; a legacy attachment's documented fields (api.slack.com/reference/messaging/attachments).
     */
    static void assertSlackMessage(JsonNode d) {
        assertThat(d.isObject()).isTrue();
        assertThat(List.of("text", "attachments", "blocks")).containsAll(iterable(d.fieldNames()));
        assertThat(d.get("text").isTextual()).isTrue();
        for (JsonNode att : d.get("attachments")) {
            assertThat(List.of("fallback", "color", "pretext", "author_name", "author_link", "author_icon", "title", "title_link", "text",
                    "fields", "image_url", "thumb_url", "footer", "footer_icon", "ts", "mrkdwn_in")).containsAll(iterable(att.fieldNames()));
            assertThat(att.get("color").asText()).matches("good|warning|danger|#[0-9a-fA-F]{6}");
            assertThat(att.get("ts").isNumber()).isTrue();
            for (JsonNode f : att.get("fields")) {
                assertThat(iterable(f.fieldNames())).containsExactly("title", "value", "short");
                assertThat(f.get("short").isBoolean()).isTrue();
            }
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    @Test
    void gitSyncsAreNotifiedPerAppAndAFailedFetchOnceWithItsError() throws Exception {
        Notifier n = notifier(ReceiverSpec.Type.WEBHOOK, null, List.of("web"), List.of(), Severity.INFO, 100, Poster.jdk());
        n.synced(new dev.orch.source.SyncResult("apps", "synced", "main@sha1:c1", List.of("web"), List.of("db"), List.of(), List.of(), List.of(), null));
        n.synced(new dev.orch.source.SyncResult("apps", "unchanged", "main@sha1:c1", List.of(), List.of(), List.of(), List.of(), List.of(), null));
        dev.orch.source.SyncResult down = new dev.orch.source.SyncResult("apps", "failed", "main@sha1:c1", List.of(), List.of(), List.of(), List.of(),
                List.of(), "fetch file:///srv/git/apps.git: repository not found");
        n.synced(down);
        n.synced(down); // the same failure again within the window: sent once
        n.recorded("web", liveBlue(1), event(Reason.PROMOTED, "after"));
        JsonNode synced = JSON.readTree(receiver.next().body());
        assertThat(synced.get("reason").asText()).isEqualTo("SourceSynced");
        assertThat(synced.get("app").asText()).isEqualTo("web");
        assertThat(synced.get("source").asText()).isEqualTo("apps");
        assertThat(synced.get("commit").asText()).isEqualTo("main@sha1:c1");
        JsonNode failed = JSON.readTree(receiver.next().body());
        assertThat(failed.get("reason").asText()).isEqualTo("SourceFailed");
        assertThat(failed.get("severity").asText()).isEqualTo("error");
        assertThat(failed.get("app").isNull()).isTrue();
        assertThat(failed.get("message").asText()).isEqualTo("fetch file:///srv/git/apps.git: repository not found");
        assertThat(JSON.readTree(receiver.next().body()).get("reason").asText()).isEqualTo("Promoted");
        assertThat(receiver.all).hasSize(3);
    }

    @Test
    void sourceEventsCarryTheAuthorAndSignerAndARefusedTipIsAnErrorNamingCommitAndSigner() throws Exception {
        Notifier n = notifier(ReceiverSpec.Type.WEBHOOK, null, List.of(), List.of(), Severity.INFO, 100, Poster.jdk());
        var ok = new dev.orch.source.SourceCondition("SourceVerified", "True", "Verified", "c1 is signed by trusted Jane", "c1",
                "Jane <jane@example.com>", java.time.Instant.EPOCH);
        n.synced(new dev.orch.source.SyncResult("apps", "synced", "main@sha1:c1", List.of("web"), List.of(), List.of(), List.of(), List.of(), null,
                "Dev <dev@example.com>", ok));
        var bad = new dev.orch.source.SourceCondition("SourceVerified", "False", "UntrustedSigner", "c2 is signed by key 38CF8B7BDFE35C26",
                "c2", "key 38CF8B7BDFE35C26", java.time.Instant.EPOCH);
        n.synced(new dev.orch.source.SyncResult("apps", "failed", "main@sha1:c1", List.of(), List.of(), List.of(), List.of(), List.of(),
                "refusing main@sha1:c2: c2 is signed by key 38CF8B7BDFE35C26, which is not a trusted key", "Mallory <m@example.com>", bad));
        JsonNode synced = JSON.readTree(receiver.next().body());
        assertThat(synced.get("reason").asText()).isEqualTo("SourceSynced");
        assertThat(synced.get("author").asText()).isEqualTo("Dev <dev@example.com>");
        assertThat(synced.get("signer").asText()).isEqualTo("Jane <jane@example.com>");
        assertThat(synced.get("message").asText()).isEqualTo("repository apps at main@sha1:c1, signed by Jane <jane@example.com>");
        JsonNode refused = JSON.readTree(receiver.next().body());
        assertThat(refused.get("reason").asText()).isEqualTo("SourceVerificationFailed");
        assertThat(refused.get("severity").asText()).isEqualTo("error");
        assertThat(refused.get("commit").asText()).isEqualTo("c2");
        assertThat(refused.get("signer").asText()).isEqualTo("key 38CF8B7BDFE35C26");
        assertThat(refused.get("author").asText()).isEqualTo("Mallory <m@example.com>");
        assertThat(refused.get("message").asText()).isEqualTo("refusing main@sha1:c2: c2 is signed by key 38CF8B7BDFE35C26, which is not a trusted key");
        n.commitInfo(rev -> rev.equals("main@sha1:abc1") ? new dev.orch.source.CommitInfo("Dev <dev@example.com>", "Jane <jane@example.com>") : null);
        n.recorded("web", liveBlue(1), event(Reason.PROMOTED, "after"));
        n.recorded("web", liveBlue(2), event(Reason.PROMOTED, "later"));
        JsonNode rollout = JSON.readTree(receiver.next().body());
        assertThat(rollout.get("commit").asText()).isEqualTo("main@sha1:abc1");
        assertThat(rollout.get("author").asText()).isEqualTo("Dev <dev@example.com>");
        assertThat(rollout.get("signer").asText()).isEqualTo("Jane <jane@example.com>");
        JsonNode unknown = JSON.readTree(receiver.next().body());
        assertThat(unknown.get("commit").asText()).isEqualTo("main@sha1:abc2");
        assertThat(unknown.get("author").isNull()).isTrue();
        var slack = Payloads.slack(new DeployEvent(java.time.Instant.EPOCH, "web", "vm-1", "SourceSynced", Severity.INFO, "m", 0, null, "main@sha1:c1",
                "apps", "Dev <dev@example.com>", "Jane <jane@example.com>"));
        assertThat(slack.toString()).contains("{title=Author, value=Dev <dev@example.com>, short=true}", "{title=Signer, value=Jane <jane@example.com>, short=true}");
    }

    @Test
    void anEventIsDroppedOnceItsAttemptsAreUsedUpAndTheReceiverShowsFailing() throws Exception {
        ReceiverSpec spec = new ReceiverSpec("team", ReceiverSpec.Type.WEBHOOK, receiver.url(), null, List.of(), List.of(), Severity.INFO, Duration.ofSeconds(5));
        ReceiverWorker w = new ReceiverWorker(spec, new ReceiverWorker.Settings(10, 3, Duration.ofMinutes(5), Duration.ofMillis(10), Duration.ofMillis(10)),
                (url, headers, body, timeout) -> 503, Clock.systemUTC(), registry);
        notifier = new Notifier(List.of(w), "vm-1", (app, n) -> null, Clock.systemUTC());
        notifier.recorded("web", liveBlue(1), event(Reason.SWITCHED, "blue is live"));
        for (int i = 0; i < 6000 && notifier.statuses().get(0).dropped() < 1; i++) {
            Thread.sleep(10);
        }
        ReceiverStatus s = notifier.statuses().get(0);
        assertThat(s.dropped()).isEqualTo(1);
        assertThat(s.failed()).isEqualTo(3);
        assertThat(s.sent()).isZero();
        assertThat(s.failing()).isTrue();
        assertThat(s.lastError()).isEqualTo("HTTP 503");
        assertThat(s.url()).isEqualTo("http://" + receiver.url().getAuthority());
    }

    private static dev.orch.config.OrchConfig.Notify.Receiver receiver(String type, String url, java.nio.file.Path secret) {
        return new dev.orch.config.OrchConfig.Notify.Receiver() {
            public String type() { return type; }
            public String url() { return url; }
            public java.util.Optional<java.nio.file.Path> secretFile() { return java.util.Optional.ofNullable(secret); }
            public java.util.Optional<List<String>> apps() { return java.util.Optional.empty(); }
            public java.util.Optional<List<String>> reasons() { return java.util.Optional.empty(); }
            public String severity() { return "info"; }
            public Duration timeout() { return Duration.ofSeconds(10); }
        };
    }

    @Test
    void aReceiverWithABadUrlOrASignedSlackIsRefusedNamingTheKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Notifier.spec("team", receiver("webhook", "ftp://example.com/x", null)))
                .hasMessage("orch.notify.receivers.team.url=\"ftp://example.com/x\" is invalid: use an http:// or https:// URL");
        java.nio.file.Path secret = java.nio.file.Files.writeString(dir.resolve("s"), " key \n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Notifier.spec("team", receiver("slack", "https://hooks.example.com/x", secret)))
                .hasMessage("orch.notify.receivers.team.secret-file is for type webhook: Slack incoming webhooks carry no signature");
        assertThat(new String(Notifier.spec("team", receiver("webhook", "https://hooks.example.com/x", secret)).secret(), StandardCharsets.UTF_8))
                .isEqualTo("key");
    }

    @Test
    void anAppKeptAtItsLastGoodRevisionIsAManifestErrorWithTheFilesErrors() throws Exception {
        Notifier n = webhook();
        n.synced(new dev.orch.source.SyncResult("apps", "synced", "main@sha1:c2", List.of(), List.of(), List.of(), List.of("api"),
                List.of("apps/api.yaml:3:5: spec.replicas: must be at least 1", "warning: nothing pruned"), null));
        JsonNode d = JSON.readTree(receiver.next().body());
        assertThat(d.get("reason").asText()).isEqualTo("ManifestError");
        assertThat(d.get("severity").asText()).isEqualTo("warning");
        assertThat(d.get("app").asText()).isEqualTo("api");
        assertThat(d.get("message").asText()).isEqualTo("apps/api.yaml:3:5: spec.replicas: must be at least 1");
    }

    @Test
    void badKeysAreRefusedNamingTheKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Severity.parse("orch.notify.receivers.team.severity", "critical"))
                .hasMessage("orch.notify.receivers.team.severity=\"critical\" is invalid: use info, warning or error");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReceiverSpec.parseType("orch.notify.receivers.team.type", "teams"))
                .hasMessage("orch.notify.receivers.team.type=\"teams\" is invalid: use webhook or slack");
    }
}
