package dev.orch.source;

import dev.orch.intake.Intake;
import dev.orch.intake.Pin;
import dev.orch.intake.Placement;
import dev.orch.manifest.LoadResult;
import dev.orch.manifest.LoadedManifest;
import dev.orch.manifest.ManifestLoader;
import dev.orch.source.SyncPlan.Action;
import dev.orch.state.DesiredApp;
import dev.orch.state.Source;
import dev.orch.state.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * One repository as a source of desired state: fetch into the mirror, and when the branch moved, read the
 * manifests of the configured directory from the commit's objects, let {@link SyncPlanner} decide what the commit
 * does, and execute that plan through the {@link Intake}: exactly the apps that changed are written. Rules
 * (docs/gitops.md): an app whose file has errors keeps its last good revision; an app whose manifest left the
 * repository is pruned, unless the directory is missing or holds no manifest at all; a remote fault changes
 * nothing. One sync at a time (synchronized).
 */
public final class GitSource implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(GitSource.class);

    private final GitRepoSpec spec;
    /** Read for the decision (desired state) and for the directory of the mirror and record; never written here. */
    private final StateStore store;
    private final Intake intake;
    private final Clock clock;
    /** Which other repository already defines an app (null: none); two repositories never fight over one app. */
    private final BiFunction<String, String, String> otherOwner;
    private final GitMirror mirror;
    private final RepoRecordFile recordFile;
    /** The host labels the record was planned for: a relabelled host plans its commit again (apps move). */
    private final PlacementFile placementFile;
    private volatile RepoRecord record;
    private volatile RepoStatus status;
    /** The status right after the last applied commit: what an unchanged fetch restores after a remote fault. */
    private volatile RepoStatus applied;
    /** Checks tips' signatures; null when verification is off. */
    private final CommitVerifier verifier;
    /** The {@code SourceVerified} condition of the last tip looked at, and of the last applied commit (null: none yet). */
    private volatile SourceCondition verified;
    private volatile SourceCondition verifiedApplied;
    /** Author and signer of the revisions this repository's apps run ({@code branch@sha1:...}); read without the lock. */
    private final Map<String, CommitInfo> commits = new java.util.concurrent.ConcurrentHashMap<>();

    public GitSource(GitRepoSpec spec, StateStore store, Intake intake, Clock clock, BiFunction<String, String, String> otherOwner) {
        this.spec = spec;
        this.store = store;
        this.intake = intake;
        this.clock = clock;
        this.otherOwner = otherOwner;
        this.mirror = new GitMirror(spec, store.gitDir().resolve(spec.name() + ".git"));
        this.recordFile = new RepoRecordFile(spec.name(), store.gitDir().resolve(spec.name() + ".json"));
        this.record = recordFile.read();
        this.verifier = spec.verify().enabled() ? new GitCommandVerifier(spec.verify(), store.gitDir().resolve(spec.name() + ".trust")) : null;
        this.placementFile = new PlacementFile(store.gitDir().resolve(spec.name() + ".placement"));
        deleteStaleCheckout(store.gitDir().resolve(spec.name() + ".checkout"));
        this.status = new RepoStatus(spec.name(), spec.displayUrl(), spec.branch(), displayPath(), "Unknown", "Pending", "not fetched yet",
                revision(record.commit()), null, null, 0, null, List.copyOf(record.apps().keySet()), List.of(), record.pins(), conditions());
    }

    public GitRepoSpec spec() {
        return spec;
    }

    public RepoStatus status() {
        return status;
    }

    /** The repository path of the file that defines {@code app} here, if this repository owns it. */
    public Optional<String> ownedPath(String app) {
        RepoRecord.AppRecord a = record.apps().get(app);
        return a == null ? Optional.empty() : Optional.of(a.path());
    }

    /**
     * Holds {@code app} against this repository until a commit changes it, durably (the record is written before the
     * caller goes on). Serialised with {@link #sync}, so a sync sees the pin or runs before it entirely.
     */
    public synchronized void pin(String app, Pin pin) {
        RepoRecord next = record.withPin(app, pin);
        if (next == record) {
            return;
        }
        try {
            recordFile.write(next);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + spec.name() + "'s record to pin " + app + ": " + e.getMessage(), e);
        }
        record = next;
        status = status.withPins(next.pins());
        if (applied != null) {
            applied = applied.withPins(next.pins());
        }
        LOG.infof("git %s: %s", spec.name(), pin.describe(app));
    }

    /** The pin that holds {@code app} against this repository, if any. */
    public Optional<Pin> pinOf(String app) {
        return Optional.ofNullable(record.pins().get(app));
    }

    /** Fetch, and apply the new commit if the branch moved. Never throws for remote or manifest problems. */
    public synchronized SyncResult sync() {
        return sync(false);
    }

    /**
     * {@code orchctl source reset}: fetch and apply the branch's tip even when it does not contain the last applied
     * commit (a force-push the operator accepts). The tip must still pass verification when that is on.
     */
    public synchronized SyncResult reset() {
        LOG.warnf("git %s: reset by the operator: the tip of %s is accepted even if it does not contain %s", spec.name(), spec.branch(),
                shortId(record.commit()));
        return sync(true);
    }

    private SyncResult sync(boolean acceptRewrite) {
        Instant started = clock.instant();
        String commit;
        try {
            commit = mirror.fetch();
            if (!acceptRewrite && record.commit() != null && !record.commit().equals(commit) && !mirror.descendsFrom(commit, record.commit())) {
                throw new RemoteException(RemoteException.Reason.HistoryRewritten, "branch " + spec.branch() + " of " + spec.displayUrl()
                        + " was rewritten (force-push): " + shortId(commit) + " does not contain the last synced commit "
                        + shortId(record.commit()) + "; keeping " + shortId(record.commit())
                        + ". Push a commit on top of it, or restore the branch, or accept the new tip with: orchctl source reset " + spec.name(), null);
            }
        } catch (RemoteException e) {
            return failed(started, e.reason().name(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            return failed(started, RemoteException.Reason.CorruptFetch.name(), "reading the mirror of " + spec.displayUrl() + " failed: " + e);
        }
        if (commits.isEmpty()) {
            rememberAppRevisions();
        }
        if (commit.equals(record.commit()) && placementFile.matches(intake.hostLabels())) {
            if (verifier != null && verifiedApplied == null) {
                // after a restart: the applied commit's condition and signer again (it was trusted when applied)
                verifiedApplied = SourceCondition.verified(verifier.verify(mirror.dir(), commit), commit, clock.instant());
            }
            verified = verifiedApplied;
            RepoStatus a = applied != null ? applied : new RepoStatus(spec.name(), spec.displayUrl(), spec.branch(), displayPath(),
                    record.held().isEmpty() ? "True" : "False", record.held().isEmpty() ? "Synced" : "ManifestErrors",
                    "at " + revision(commit) + (record.held().isEmpty() ? "" : "; kept at their last good revision: " + String.join(", ", record.held())),
                    revision(commit), null, null, 0, null, List.copyOf(record.apps().keySet()), List.of(), record.pins(), conditions());
            status = new RepoStatus(a.name(), a.url(), a.branch(), a.path(), a.ready(), a.reason(), a.message(), a.revision(), started,
                    clock.instant(), 0, status.nextAttempt(), a.apps(), a.errors(), record.pins(), conditions());
            return new SyncResult(spec.name(), SyncResult.UNCHANGED, revision(commit), List.of(), List.of(), List.of(), List.copyOf(record.held()),
                    a.errors(), null);
        }
        String signer = null;
        if (verifier != null) {
            Verdict v = verifier.verify(mirror.dir(), commit);
            verified = SourceCondition.verified(v, commit, clock.instant());
            if (!v.trusted()) {
                return failed(started, "VerificationFailed", "refusing " + revision(commit) + ": " + v.message()).with(safeAuthor(commit), verified);
            }
            signer = v.signer();
        }
        try {
            return apply(commit, started, signer);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "git %s: applying %s failed", spec.name(), revision(commit));
            return failed(started, "ApplyFailed", "applying " + revision(commit) + " failed: " + e);
        }
    }

    /** Loads the commit, plans what it does ({@link SyncPlanner}, pure) and executes the plan. */
    private SyncResult apply(String commit, Instant started, String signer) throws IOException {
        Optional<Map<String, byte[]>> files = mirror.manifestFiles(commit, ManifestLoader.Limits.DEFAULTS.maxFileBytes());
        SyncPlanner.Contents contents = files.map(f -> placed(new ManifestLoader().loadAll(f))).orElse(SyncPlanner.Contents.MISSING);
        Map<String, DesiredApp> desired = new HashMap<>();
        Map<String, String> elsewhere = new HashMap<>();
        Set<String> names = new TreeSet<>(record.apps().keySet());
        for (LoadedManifest m : contents.loaded().manifests()) {
            names.add(m.deployment().name());
            String other = otherOwner.apply(spec.name(), m.deployment().name());
            if (other != null) {
                elsewhere.put(m.deployment().name(), other);
            }
        }
        names.forEach(app -> store.readDesired(app).ifPresent(d -> desired.put(app, d)));
        SyncPlan plan = SyncPlanner.plan(record, contents, desired, elsewhere,
                intake.portConflicts(contents.loaded().manifests().stream().map(LoadedManifest::deployment).toList()),
                new SyncPlanner.Repo(spec.name(), spec.displayUrl(), displayPath()),
                new SyncPlanner.Commit(commit, revision(commit), safeAuthor(commit), signer), clock.instant());
        execute(plan);
        record = plan.next();
        recordFile.write(record);
        placementFile.write(intake.hostLabels());
        status = new RepoStatus(spec.name(), spec.displayUrl(), spec.branch(), displayPath(), plan.ready() ? "True" : "False", plan.reason(),
                plan.message(), plan.revision(), started, clock.instant(), 0, status.nextAttempt(), List.copyOf(record.apps().keySet()), plan.errors(), record.pins(), conditions());
        applied = status;
        verifiedApplied = verified;
        remember(revision(commit), new CommitInfo(safeAuthor(commit), signer));
        LOG.infof("git %s: synced %s: %d added, %d changed, %d removed, %d failed", spec.name(), plan.revision(), plan.apps(Action.CREATE).size(),
                plan.apps(Action.UPDATE).size(), plan.apps(Action.DELETE).size(), plan.apps(Action.HOLD).size());
        return plan.result(spec.name()).with(safeAuthor(commit), verified);
    }

    /** Each app of the synced commit: whether this host runs it, and why (read from the mirror, not stored). */
    public synchronized List<PlacementRow> placement() {
        if (record.commit() == null) {
            return List.of();
        }
        List<PlacementRow> out = new ArrayList<>();
        try {
            Optional<Map<String, byte[]>> files = mirror.manifestFiles(record.commit(), ManifestLoader.Limits.DEFAULTS.maxFileBytes());
            for (LoadedManifest m : files.map(f -> new ManifestLoader().loadAll(f).manifests()).orElse(List.of())) {
                Placement.Decision p = intake.decide(m.deployment());
                out.add(new PlacementRow(m.deployment().name(), spec.name(), m.file(), p.runs(), p.reason()));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("git %s: cannot read %s for the placement view: %s", spec.name(), revision(record.commit()), e);
        }
        return out;
    }

    /** The apps of the commit this host takes, with their per-host values; the others with why not. */
    private SyncPlanner.Contents placed(LoadResult all) {
        List<LoadedManifest> here = new ArrayList<>();
        Map<String, String> elsewhere = new TreeMap<>();
        for (LoadedManifest m : all.manifests()) {
            Placement.Decision p = intake.decide(m.deployment());
            if (p.runs()) {
                here.add(new LoadedManifest(p.effective(), m.file(), m.line()));
            } else {
                elsewhere.put(m.deployment().name(), p.reason());
            }
        }
        return new SyncPlanner.Contents(true, new LoadResult(here, all.errors()), elsewhere);
    }

    /** Every write goes through the intake: desired state, audit entry (with the generation), condition, enqueue. */
    private void execute(SyncPlan plan) {
        for (SyncPlan.Step s : plan.steps()) {
            switch (s.action()) {
                case CREATE, UPDATE -> {
                    intake.put(s.deployment(), Source.git(spec.displayUrl(), plan.revision(), s.path()), null, plan.actor(), "apply", s.audit());
                    intake.condition(s.app(), s.condition(), s.event());
                }
                case KEEP -> {
                    if (s.condition() != null) {
                        intake.condition(s.app(), s.condition(), null);
                    }
                }
                case HOLD -> {
                    intake.condition(s.app(), s.condition(), s.event());
                    LOG.warnf("git %s: %s", spec.name(), s.condition().message().replace(": still", ". still"));
                }
                case DELETE -> {
                    if (intake.delete(s.app(), plan.actor(), s.audit()).change() == Intake.Change.DELETED) {
                        if (s.audit().containsKey("notPlaced")) {
                            LOG.infof("git %s: %s is no longer placed on this host (%s) at %s: deleting it", spec.name(), s.app(),
                                    s.audit().get("notPlaced"), plan.revision());
                        } else {
                            LOG.infof("git %s: %s left %s in %s: deleting it", spec.name(), s.app(), s.path(), plan.revision());
                        }
                    }
                }
                case SPARE, CONFLICT, BLOCKED -> {
                    // nothing to write: the plan's errors say why
                }
            }
        }
        plan.errors().stream().filter(e -> e.startsWith("warning: ")).forEach(w -> LOG.warnf("git %s: %s", spec.name(), w.substring(9)));
    }

    private SyncResult failed(Instant started, String reason, String message) {
        RepoStatus s = status;
        int failures = s.failures() + 1;
        if (failures == 1 || !message.equals(s.message())) {
            LOG.warnf("git %s: %s: keeping %s", spec.name(), message, record.commit() == null ? "the current desired state" : revision(record.commit()));
        }
        status = new RepoStatus(s.name(), s.url(), s.branch(), s.path(), "False", reason, message, revision(record.commit()), started,
                s.lastSuccess(), failures, s.nextAttempt(), s.apps(), s.errors(), record.pins(), conditions());
        return new SyncResult(spec.name(), SyncResult.FAILED, revision(record.commit()), List.of(), List.of(), List.of(), List.of(), List.of(), message);
    }

    /** Records when the scheduler will look again (status only). */
    void nextAttempt(Instant when) {
        RepoStatus s = status;
        status = new RepoStatus(s.name(), s.url(), s.branch(), s.path(), s.ready(), s.reason(), s.message(), s.revision(), s.lastAttempt(),
                s.lastSuccess(), s.failures(), when, s.apps(), s.errors(), record.pins(), conditions());
    }

    /** The author and signer of a revision one of this repository's apps runs, if known. */
    public Optional<CommitInfo> commitInfo(String revision) {
        return Optional.ofNullable(revision == null ? null : commits.get(revision));
    }

    /** After a start: the author (and trusted signer) of each revision the record's apps are at. */
    private void rememberAppRevisions() {
        Set<String> ids = new TreeSet<>();
        record.apps().values().forEach(a -> ids.add(a.revision()));
        for (String rev : ids) {
            String id = rev == null ? null : rev.substring(rev.indexOf("@sha1:") + 6);
            if (id != null && id.length() == 40) {
                Verdict v = verifier == null ? null : verifier.verify(mirror.dir(), id);
                remember(rev, new CommitInfo(safeAuthor(id), v != null && v.trusted() ? v.signer() : null));
            }
        }
    }

    private void remember(String revision, CommitInfo info) {
        if (commits.size() > 1000) {
            commits.clear(); // a bound: the apps' current revisions come back at the next sync
        }
        commits.put(revision, info);
    }

    private List<SourceCondition> conditions() {
        SourceCondition v = verified;
        return v == null ? List.of() : List.of(v);
    }

    private String revision(String commit) {
        return commit == null ? null : spec.branch() + "@sha1:" + commit;
    }

    private String displayPath() {
        return spec.path().isEmpty() ? "." : spec.path();
    }

    private String safeAuthor(String commit) {
        try {
            return mirror.author(commit);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String shortId(String commit) {
        return commit == null ? "none" : commit.substring(0, Math.min(12, commit.length()));
    }

    /** Older versions copied each commit out to {@code <name>.checkout}: manifests are now read from the mirror's objects. */
    private void deleteStaleCheckout(Path checkout) {
        try {
            GitMirror.deleteTree(checkout);
        } catch (IOException e) {
            LOG.warnf("git %s: cannot delete the stale checkout %s (no longer used): %s", spec.name(), checkout, e);
        }
    }


    @Override
    public void close() {
        mirror.close();
    }
}
