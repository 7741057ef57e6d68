package dev.orch.source;

import dev.orch.intake.Intake;
import dev.orch.intake.Owner;
import dev.orch.intake.Ownership;
import dev.orch.intake.Pin;
import dev.orch.reconcile.Backoff;
import dev.orch.state.StateStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Every configured repository: polls each at its interval, retries a failing one with exponential backoff (capped
 * at its poll interval), syncs at once on a trigger (webhook, {@code orchctl sync}), answers who owns an app, and
 * keeps the meters {@code orch_git_sync_total{repo,result}} and {@code orch_git_last_success_timestamp_seconds{repo}}.
 */
public final class GitSources implements Ownership, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GitSources.class);

    /** Who owns an app: the repository's name, URL and the file that defines the app. */
    private final Map<String, GitSource> sources = new LinkedHashMap<>();
    private final Clock clock;
    private final MeterRegistry registry;
    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> ThreadLocalRandom.current().nextDouble());
    private final Map<String, Double> lastSuccess = new ConcurrentHashMap<>();
    /** The info series of each repository's current revision, replaced when the revision changes. */
    private final Map<String, Gauge> commitInfo = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> scheduled = new ConcurrentHashMap<>();
    /** Told of every sync's result (notifications); must return at once. */
    private volatile java.util.function.Consumer<SyncResult> onSync = r -> { };
    private ScheduledExecutorService executor;

    /** @param intake where every repository writes desired state; {@code store} is only read (and holds the mirrors) */
    public GitSources(List<GitRepoSpec> specs, StateStore store, Intake intake, Clock clock, MeterRegistry registry) {
        this.clock = clock;
        this.registry = registry;
        for (GitRepoSpec spec : specs) {
            sources.put(spec.name(), new GitSource(spec, store, intake, clock, this::otherOwner));
            if (registry != null) {
                Gauge.builder("orch_git_last_success_timestamp_seconds", lastSuccess, m -> m.getOrDefault(spec.name(), 0.0))
                        .description("When the repository was last fetched successfully (Unix time, seconds)")
                        .tags("repo", spec.name()).register(registry);
            }
        }
    }

    public boolean isEmpty() {
        return sources.isEmpty();
    }

    public List<String> names() {
        return List.copyOf(sources.keySet());
    }

    /** Starts polling: every repository is synced at once, then at its interval. */
    public synchronized void start() {
        if (sources.isEmpty()) {
            LOG.info("no git repository configured (orch.git.repos.<name>.url): desired state comes only from orchctl apply");
            return;
        }
        executor = Executors.newScheduledThreadPool(Math.min(2, sources.size()),
                r -> Thread.ofPlatform().name("orch-git").daemon(true).unstarted(r));
        for (GitSource s : sources.values()) {
            LOG.infof("git %s: deploying %s branch %s path %s, polling every %s", s.spec().name(), s.spec().displayUrl(), s.spec().branch(),
                    s.spec().path().isEmpty() ? "." : s.spec().path(), s.spec().poll());
            schedule(s, Duration.ZERO);
        }
    }

    /** Syncs the named repositories (all when empty) now, in the caller's thread, and returns what each did. */
    public List<SyncResult> syncNow(List<String> names) {
        List<SyncResult> out = new ArrayList<>();
        for (GitSource s : select(names)) {
            out.add(runSync(s));
            reschedule(s, out.get(out.size() - 1));
        }
        return out;
    }

    /**
     * {@code orchctl source reset NAME}: syncs the repository now accepting a tip that does not contain the last applied
     * commit (the operator's explicit answer to {@code HistoryRewritten}).
     */
    public SyncResult reset(String name) {
        GitSource s = select(List.of(name)).get(0);
        SyncResult r = runSync(s, true);
        reschedule(s, r);
        return r;
    }

    /** Starts a sync of one repository in the background (webhooks answer at once). */
    public void trigger(String name) {
        GitSource s = sources.get(name);
        ScheduledExecutorService ex = executor;
        if (s != null && ex != null) {
            schedule(s, Duration.ZERO);
        }
    }

    public Optional<GitSource> source(String name) {
        return Optional.ofNullable(sources.get(name));
    }

    /** Author and signer of a revision ({@code branch@sha1:...}) some repository applied; never waits for a sync. */
    public Optional<CommitInfo> commitInfo(String revision) {
        for (GitSource s : sources.values()) {
            Optional<CommitInfo> c = s.commitInfo(revision);
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    /** For each app the repositories define at their synced commit: whether this host runs it, and why. */
    public List<PlacementRow> placement() {
        List<PlacementRow> out = new java.util.ArrayList<>();
        sources.values().forEach(s -> out.addAll(s.placement()));
        return out;
    }

    public List<RepoStatus> statuses() {
        return sources.values().stream().map(GitSource::status).toList();
    }

    /** The repository that defines {@code app}, if any, with its pin: such an app is refused to {@code orchctl apply} without force. */
    @Override
    public Optional<Owner> owner(String app) {
        for (GitSource s : sources.values()) {
            Optional<String> path = s.ownedPath(app);
            if (path.isPresent()) {
                return Optional.of(new Owner(s.spec().name(), s.spec().displayUrl(), path.get(), s.pinOf(app).orElse(null)));
            }
        }
        return Optional.empty();
    }

    @Override
    public void pin(String app, Pin pin) {
        for (GitSource s : sources.values()) {
            if (s.ownedPath(app).isPresent()) {
                s.pin(app, pin);
                return;
            }
        }
    }

    private String otherOwner(String repo, String app) {
        for (GitSource s : sources.values()) {
            if (!s.spec().name().equals(repo) && s.ownedPath(app).isPresent()) {
                return s.spec().name() + " (" + s.spec().displayUrl() + " " + s.ownedPath(app).get() + ")";
            }
        }
        return null;
    }

    private List<GitSource> select(List<String> names) {
        if (names == null || names.isEmpty()) {
            return List.copyOf(sources.values());
        }
        List<GitSource> out = new ArrayList<>();
        for (String n : names) {
            GitSource s = sources.get(n);
            if (s == null) {
                throw new IllegalArgumentException("no git repository named \"" + n + "\" is configured; known: " + sources.keySet());
            }
            out.add(s);
        }
        return out;
    }

    /** Who hears each sync's result, before {@link #start()}. */
    public void onSync(java.util.function.Consumer<SyncResult> listener) {
        onSync = listener;
    }

    private SyncResult runSync(GitSource s) {
        return runSync(s, false);
    }

    private SyncResult runSync(GitSource s, boolean reset) {
        SyncResult r = reset ? s.reset() : s.sync();
        onSync.accept(r);
        if (registry != null) {
            Counter.builder("orch_git_sync").description("Fetches of a git repository, by result (synced, unchanged, failed)")
                    .tags("repo", s.spec().name(), "result", r.result()).register(registry).increment();
        }
        if (registry != null && r.verificationFailed()) {
            Counter.builder("orch_git_verification_failures").description("Tips refused because their signature is missing or not trusted, by reason")
                    .tags("repo", s.spec().name(), "reason", r.verified().reason()).register(registry).increment();
        }
        if (!SyncResult.FAILED.equals(r.result())) {
            lastSuccess.put(s.spec().name(), clock.millis() / 1000.0);
            recordRevision(s.spec().name(), r.revision());
        }
        return r;
    }

    /** {@code orch_git_revision_info{repo,revision="main@sha1:..."} 1}: one series per repository. */
    private void recordRevision(String repo, String revision) {
        if (registry == null || revision == null) {
            return;
        }
        Gauge old = commitInfo.get(repo);
        if (old != null && revision.equals(old.getId().getTag("revision"))) {
            return;
        }
        if (old != null) {
            registry.remove(old);
        }
        commitInfo.put(repo, Gauge.builder("orch_git_revision_info", () -> 1)
                .description("The revision the repository was last synced at (branch@sha1:commit), value 1")
                .tags("repo", repo, "revision", revision).register(registry));
    }

    private void scheduledRun(GitSource s) {
        SyncResult r;
        try {
            r = runSync(s);
        } catch (RuntimeException e) {
            LOG.errorf(e, "git %s: sync failed unexpectedly", s.spec().name());
            r = new SyncResult(s.spec().name(), SyncResult.FAILED, null, List.of(), List.of(), List.of(), List.of(), List.of(), e.toString());
        }
        reschedule(s, r);
    }

    private void reschedule(GitSource s, SyncResult r) {
        Duration delay;
        // an untrusted tip is no transient fault: looked at again at the next poll (or push), not retried sooner
        if (SyncResult.FAILED.equals(r.result()) && !r.verificationFailed()) {
            Duration b = backoff.nextDelay(s.spec().name());
            delay = b.compareTo(s.spec().poll()) < 0 ? b : s.spec().poll();
        } else {
            backoff.forget(s.spec().name());
            delay = s.spec().poll();
        }
        schedule(s, delay);
    }

    private synchronized void schedule(GitSource s, Duration delay) {
        if (executor == null || executor.isShutdown()) {
            return;
        }
        ScheduledFuture<?> old = scheduled.remove(s.spec().name());
        if (old != null) {
            old.cancel(false);
        }
        s.nextAttempt(clock.instant().plus(delay));
        scheduled.put(s.spec().name(), executor.schedule(() -> scheduledRun(s), delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sources.values().forEach(GitSource::close);
    }
}
