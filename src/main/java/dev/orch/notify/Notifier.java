package dev.orch.notify;

import dev.orch.config.OrchConfig;
import dev.orch.source.SyncResult;
import dev.orch.state.Reason;
import dev.orch.state.ActualState;
import dev.orch.state.AppEvent;
import dev.orch.state.ColorState;
import dev.orch.state.EventListener;
import dev.orch.state.EventType;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Turns each recorded event into a {@link DeployEvent} and hands it to every receiver's queue; the caller (the
 * control loop) only ever pays for a queue offer.
 */
public final class Notifier implements EventListener, AutoCloseable {
    private final List<ReceiverWorker> workers;
    private final String host;
    private final BiFunction<String, Integer, String> commitOf;
    private final Clock clock;
    /** Author and signer of a git revision, once the git sources exist; must answer at once. */
    private volatile java.util.function.Function<String, dev.orch.source.CommitInfo> commitInfo = rev -> null;
    static final String SOURCE_SYNCED = "SourceSynced";
    static final String SOURCE_FAILED = "SourceFailed";
    static final String SOURCE_VERIFICATION_FAILED = "SourceVerificationFailed";

    Notifier(List<ReceiverWorker> workers, String host, BiFunction<String, Integer, String> commitOf, Clock clock) {
        this.clock = clock;
        this.workers = List.copyOf(workers);
        this.host = host;
        this.commitOf = commitOf;
        this.workers.forEach(ReceiverWorker::start);
    }

    /**
     * The receivers of {@code orch.notify.*}, refusing a bad key at start-up.
     *
     * @param commitOf app and revision number to the revision's git commit, or null
     */
    public static Notifier fromConfig(OrchConfig.Notify c, MeterRegistry registry, Clock clock, BiFunction<String, Integer, String> commitOf) {
        ReceiverWorker.Settings settings = new ReceiverWorker.Settings(c.queueSize(), c.maxAttempts(), c.dedupWindow(),
                Duration.ofSeconds(1), Duration.ofSeconds(30));
        Poster poster = c.receivers().isEmpty() ? null : Poster.jdk();
        List<ReceiverWorker> workers = new ArrayList<>();
        c.receivers().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> workers.add(new ReceiverWorker(spec(e.getKey(), e.getValue()), settings, poster, clock, registry)));
        return new Notifier(workers, hostName(), commitOf, clock);
    }

    static ReceiverSpec spec(String name, OrchConfig.Notify.Receiver r) {
        String key = "orch.notify.receivers." + name + ".";
        URI url = URI.create(r.url());
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException(key + "url=\"" + r.url() + "\" is invalid: use an http:// or https:// URL");
        }
        ReceiverSpec.Type type = ReceiverSpec.parseType(key + "type", r.type());
        byte[] secret = r.secretFile().map(p -> {
            try {
                return Files.readString(p).strip().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException(key + "secret-file=\"" + p + "\" cannot be read: " + e.getMessage(), e);
            }
        }).orElse(null);
        if (secret != null && type == ReceiverSpec.Type.SLACK) {
            throw new IllegalArgumentException(key + "secret-file is for type webhook: Slack incoming webhooks carry no signature");
        }
        return new ReceiverSpec(name, type, url, secret, r.apps().orElse(List.of()), r.reasons().orElse(List.of()),
                Severity.parse(key + "severity", r.severity().toLowerCase(Locale.ROOT)), r.timeout());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "localhost");
        }
    }

    /** Where app events find the author and signer of their revision's commit. */
    public void commitInfo(java.util.function.Function<String, dev.orch.source.CommitInfo> lookup) {
        commitInfo = lookup;
    }

    @Override
    public void recorded(String app, ActualState state, AppEvent event) {
        if (workers.isEmpty()) {
            return;
        }
        DeployEvent e = toDeployEvent(app, state, event);
        workers.forEach(w -> w.offer(e));
    }

    DeployEvent toDeployEvent(String app, ActualState state, AppEvent event) {
        ColorState live = state.live() == null ? null : state.color(state.live());
        int revision = live == null ? 0 : live.revision();
        String commit = revision > 0 ? commitOf.apply(app, revision) : null;
        dev.orch.source.CommitInfo info = commit == null ? null : commitInfo.apply(commit);
        return new DeployEvent(event.time(), app, host, event.reason(),
                DeployEvent.severityOf(event.type() == EventType.WARNING, event.reason()), event.message(), revision,
                state.live() == null ? null : state.live().wire(), commit, null, info == null ? null : info.author(),
                info == null ? null : info.signer());
    }

    /**
     * A git sync: {@code SourceSynced} for each app a new commit created or changed, {@code SourceVerificationFailed}
     * (error) when the tip's signature is missing or untrusted, {@code SourceFailed} (error) when the remote could not
     * be read or its history was rewritten, {@code ManifestError} (warning) for each app kept at its last good
     * revision; an unchanged fetch says nothing. Source events carry the commit's author and, when verified, signer.
     */
    public void synced(SyncResult r) {
        if (workers.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<DeployEvent> events = new ArrayList<>();
        if (r.verificationFailed()) {
            events.add(new DeployEvent(now, null, host, SOURCE_VERIFICATION_FAILED, Severity.ERROR, r.message(), 0, null,
                    r.verified().commit(), r.repo(), r.author(), r.signer()));
        } else if (SyncResult.FAILED.equals(r.result())) {
            events.add(new DeployEvent(now, null, host, SOURCE_FAILED, Severity.ERROR, r.message(), 0, null, r.revision(), r.repo()));
        }
        List<String> applied = new ArrayList<>(r.added());
        applied.addAll(r.changed());
        for (String app : applied) {
            events.add(new DeployEvent(now, app, host, SOURCE_SYNCED, Severity.INFO, "repository " + r.repo() + " at " + r.revision()
                    + (r.signer() == null ? "" : ", signed by " + r.signer()), 0, null, r.revision(), r.repo(), r.author(), r.signer()));
        }
        for (String app : r.failed()) {
            String why = String.join("; ", r.errors().stream().filter(e -> !e.startsWith("warning: ")).toList());
            events.add(new DeployEvent(now, app, host, Reason.MANIFEST_ERROR.wire(), Severity.WARNING, why, 0, null, r.revision(), r.repo(),
                    r.author(), r.signer()));
        }
        events.forEach(e -> workers.forEach(w -> w.offer(e)));
    }

    public List<ReceiverStatus> statuses() {
        return workers.stream().map(ReceiverWorker::status).toList();
    }

    @Override
    public void close() {
        workers.forEach(ReceiverWorker::close);
    }
}
