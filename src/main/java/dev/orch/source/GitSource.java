package dev.orch.source;

import dev.orch.manifest.LoadResult;
import dev.orch.manifest.LoadedManifest;
import dev.orch.manifest.ManifestError;
import dev.orch.manifest.ManifestLoader;
import dev.orch.state.AppEvent;
import dev.orch.state.AuditEntry;
import dev.orch.state.Condition;
import dev.orch.state.ConditionStatus;
import dev.orch.state.DesiredApp;
import dev.orch.state.EventType;
import dev.orch.state.Source;
import dev.orch.state.SourceKind;
import dev.orch.state.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * One repository as a source of desired state: fetch into the mirror, and when the branch moved, load the
 * manifests of the configured directory and write the desired state of exactly the apps that changed. Rules
 * (docs/gitops.md): an app whose file has errors keeps its last good revision; an app whose manifest left the
 * repository is pruned, unless the directory is missing or holds no manifest at all; a remote fault changes
 * nothing. One sync at a time (synchronized).
 */
public final class GitSource implements AutoCloseable {
    /** The app condition this source owns. */
    public static final String CONDITION = "GitSynced";
    private static final Logger LOG = Logger.getLogger(GitSource.class);

    private final GitRepoSpec spec;
    private final StateStore store;
    private final SourceEvents events;
    private final Clock clock;
    /** Which other repository already defines an app (null: none); two repositories never fight over one app. */
    private final BiFunction<String, String, String> otherOwner;
    private final GitMirror mirror;
    private final RepoRecordFile recordFile;
    private volatile RepoRecord record;
    private volatile RepoStatus status;
    /** The status right after the last applied commit: what an unchanged fetch restores after a remote fault. */
    private volatile RepoStatus applied;

    public GitSource(GitRepoSpec spec, StateStore store, SourceEvents events, Clock clock, BiFunction<String, String, String> otherOwner) {
        this.spec = spec;
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.otherOwner = otherOwner;
        this.mirror = new GitMirror(spec, store.gitDir().resolve(spec.name() + ".git"));
        this.recordFile = new RepoRecordFile(spec.name(), store.gitDir().resolve(spec.name() + ".json"));
        this.record = recordFile.read();
        deleteStaleCheckout(store.gitDir().resolve(spec.name() + ".checkout"));
        this.status = new RepoStatus(spec.name(), spec.displayUrl(), spec.branch(), displayPath(), "Unknown", "Pending", "not fetched yet",
                revision(record.commit()), null, null, 0, null, List.copyOf(record.apps().keySet()), List.of());
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

    /** Fetch, and apply the new commit if the branch moved. Never throws for remote or manifest problems. */
    public synchronized SyncResult sync() {
        Instant started = clock.instant();
        String commit;
        try {
            commit = mirror.fetch();
            if (record.commit() != null && !record.commit().equals(commit) && !mirror.descendsFrom(commit, record.commit())) {
                throw new RemoteException(RemoteException.Reason.HistoryRewritten, "branch " + spec.branch() + " of " + spec.displayUrl()
                        + " was rewritten (force-push): " + shortId(commit) + " does not contain the last synced commit "
                        + shortId(record.commit()) + "; keeping " + shortId(record.commit())
                        + ". Push a commit on top of it, or restore the branch, to resume", null);
            }
        } catch (RemoteException e) {
            return failed(started, e.reason().name(), e.getMessage());
        } catch (IOException | RuntimeException e) {
            return failed(started, RemoteException.Reason.CorruptFetch.name(), "reading the mirror of " + spec.displayUrl() + " failed: " + e);
        }
        if (commit.equals(record.commit())) {
            RepoStatus a = applied != null ? applied : new RepoStatus(spec.name(), spec.displayUrl(), spec.branch(), displayPath(),
                    record.held().isEmpty() ? "True" : "False", record.held().isEmpty() ? "Synced" : "ManifestErrors",
                    "at " + revision(commit) + (record.held().isEmpty() ? "" : "; kept at their last good revision: " + String.join(", ", record.held())),
                    revision(commit), null, null, 0, null, List.copyOf(record.apps().keySet()), List.of());
            status = new RepoStatus(a.name(), a.url(), a.branch(), a.path(), a.ready(), a.reason(), a.message(), a.revision(), started,
                    clock.instant(), 0, status.nextAttempt(), a.apps(), a.errors());
            return new SyncResult(spec.name(), SyncResult.UNCHANGED, revision(commit), List.of(), List.of(), List.of(), List.copyOf(record.held()),
                    a.errors(), null);
        }
        try {
            return apply(commit, started);
        } catch (IOException | RuntimeException e) {
            LOG.errorf(e, "git %s: applying %s failed", spec.name(), revision(commit));
            return failed(started, "ApplyFailed", "applying " + revision(commit) + " failed: " + e);
        }
    }

    private SyncResult apply(String commit, Instant started) throws IOException {
        String rev = revision(commit);
        String cause = "git " + shortId(commit) + " " + safeAuthor(commit);
        Optional<Map<String, byte[]>> files = mirror.manifestFiles(commit, ManifestLoader.Limits.DEFAULTS.maxFileBytes());
        boolean dirExists = files.isPresent();
        LoadResult loaded = dirExists ? new ManifestLoader().loadAll(files.get()) : new LoadResult(List.of(), List.of());

        // errors by repository file (the loader's source names are the paths inside the repository)
        Map<String, List<String>> fileErrors = new LinkedHashMap<>();
        for (ManifestError e : loaded.errors()) {
            fileErrors.computeIfAbsent(e.file(), f -> new ArrayList<>()).add(e.toString());
        }
        Map<String, LoadedManifest> good = new LinkedHashMap<>();
        for (LoadedManifest m : loaded.manifests()) {
            String file = m.file();
            String name = m.deployment().name();
            String other = otherOwner.apply(spec.name(), name);
            if (other != null) {
                fileErrors.computeIfAbsent(file, f -> new ArrayList<>()).add(file + ":" + m.line() + ":1: metadata.name: app \"" + name
                        + "\" is already defined by git repository " + other + "; an app has exactly one source");
            } else if (!fileErrors.containsKey(file)) {
                good.put(name, m);
            }
        }
        // a file with an error holds every app it defined (the good documents of a broken file wait for the fix)
        good.values().removeIf(m -> fileErrors.containsKey(m.file()));

        RepoRecord prev = record;
        Map<String, RepoRecord.AppRecord> next = new LinkedHashMap<>();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> warnings = new ArrayList<>();

        for (LoadedManifest m : good.values()) {
            String app = m.deployment().name();
            RepoRecord.AppRecord before = prev.apps().get(app);
            Optional<DesiredApp> desired = store.readDesired(app);
            boolean gitSame = before != null && java.util.Objects.equals(before.hash(), RepoRecord.hashOf(m.deployment())) && before.path().equals(m.file());
            boolean overridden = desired.isPresent() && desired.get().source().type() == SourceKind.APPLY && before != null;
            boolean current = desired.isPresent() && desired.get().source().type() == SourceKind.GIT
                    && spec.displayUrl().equals(desired.get().source().repository()) && m.file().equals(desired.get().source().path())
                    && desired.get().deployment().equals(m.deployment());
            if ((gitSame && overridden) || current) {
                // unchanged in git: an override by apply stays until a commit changes this app
                String keptRev = current ? desired.get().source().revision() : before.revision();
                next.put(app, new RepoRecord.AppRecord(m.file(), keptRev, RepoRecord.hashOf(m.deployment())));
                if (prev.held().contains(app)) {
                    events.condition(app, synced(keptRev, m.file(), "file fixed in " + shortId(commit)), null);
                }
                continue;
            }
            DesiredApp d = store.updateDesired(m.deployment(), Source.git(spec.displayUrl(), rev, m.file()));
            next.put(app, new RepoRecord.AppRecord(m.file(), rev, RepoRecord.hashOf(m.deployment())));
            (desired.isEmpty() ? added : changed).add(app);
            store.appendAudit(new AuditEntry(clock.instant(), app, "apply", cause,
                    Map.of("repository", spec.displayUrl(), "revision", rev, "path", m.file(), "generation", Long.toString(d.generation()))));
            events.condition(app, synced(rev, m.file(), desired.isEmpty() ? "created" : "changed"),
                    new AppEvent(clock.instant(), EventType.NORMAL, "GitSynced", (desired.isEmpty() ? "created from " : "updated from ")
                            + spec.name() + " " + rev + " " + m.file()));
            events.enqueue(app);
        }

        // apps whose file failed keep their last good definition
        for (var e : prev.apps().entrySet()) {
            String app = e.getKey();
            RepoRecord.AppRecord before = e.getValue();
            if (good.containsKey(app) || !fileErrors.containsKey(before.path())) {
                continue;
            }
            failed.add(app);
            next.put(app, before);
            String msg = "commit " + shortId(commit) + ": " + String.join("; ", fileErrors.get(before.path())) + "; still running "
                    + before.revision() + " (the last good revision)";
            events.condition(app, new Condition(CONDITION, ConditionStatus.FALSE, "ManifestError", msg, clock.instant()),
                    new AppEvent(clock.instant(), EventType.WARNING, "ManifestError", msg));
            LOG.warnf("git %s: %s", spec.name(), msg.replace(": still", ". still"));
        }

        // prune what left the repository, never on an empty or missing directory
        List<String> gone = new ArrayList<>();
        for (String app : prev.apps().keySet()) {
            if (!next.containsKey(app)) {
                gone.add(app);
            }
        }
        if (!gone.isEmpty() && (!dirExists || loaded.manifests().isEmpty())) {
            String why = !dirExists ? "directory " + displayPath() + " does not exist in " + rev
                    : "directory " + displayPath() + " holds no manifest in " + rev;
            warnings.add("warning: " + why + ": nothing pruned (" + String.join(", ", gone) + " kept); delete apps one by one, or restore the directory");
            LOG.warnf("git %s: %s: not pruning %s", spec.name(), why, gone);
            for (String app : gone) {
                next.put(app, prev.apps().get(app));
            }
        } else {
            for (String app : gone) {
                Optional<DesiredApp> d = store.readDesired(app);
                if (d.isPresent()) {
                    store.deleteDesired(app);
                    store.appendAudit(new AuditEntry(clock.instant(), app, "delete", cause,
                            Map.of("repository", spec.displayUrl(), "revision", rev, "path", prev.apps().get(app).path())));
                    LOG.infof("git %s: %s left %s in %s: deleting it", spec.name(), app, prev.apps().get(app).path(), rev);
                }
                removed.add(app);
                events.enqueue(app);
            }
        }

        record = new RepoRecord(commit, next, new TreeSet<>(failed));
        recordFile.write(record);
        List<String> errors = new ArrayList<>(warnings);
        fileErrors.values().forEach(errors::addAll);
        String reason = !fileErrors.isEmpty() ? "ManifestErrors" : !warnings.isEmpty() ? "NothingPruned" : "Synced";
        String message = "at " + rev + (fileErrors.isEmpty() ? "" : "; " + fileErrors.size() + " file(s) with errors: "
                + String.join(", ", fileErrors.keySet())) + (warnings.isEmpty() ? "" : "; " + warnings.get(0).substring("warning: ".length()));
        status = new RepoStatus(spec.name(), spec.displayUrl(), spec.branch(), displayPath(), fileErrors.isEmpty() ? "True" : "False", reason, message,
                rev, started, clock.instant(), 0, status.nextAttempt(), List.copyOf(next.keySet()), errors);
        applied = status;
        LOG.infof("git %s: synced %s: %d added, %d changed, %d removed, %d failed", spec.name(), rev, added.size(), changed.size(),
                removed.size(), failed.size());
        return new SyncResult(spec.name(), SyncResult.SYNCED, rev, added, changed, removed, failed, errors, null);
    }

    private Condition synced(String rev, String path, String what) {
        return new Condition(CONDITION, ConditionStatus.TRUE, "Synced", spec.name() + " " + rev + " " + path + " (" + what + ")", clock.instant());
    }

    private SyncResult failed(Instant started, String reason, String message) {
        RepoStatus s = status;
        int failures = s.failures() + 1;
        if (failures == 1 || !message.equals(s.message())) {
            LOG.warnf("git %s: %s: keeping %s", spec.name(), message, record.commit() == null ? "the current desired state" : revision(record.commit()));
        }
        status = new RepoStatus(s.name(), s.url(), s.branch(), s.path(), "False", reason, message, revision(record.commit()), started,
                s.lastSuccess(), failures, s.nextAttempt(), s.apps(), s.errors());
        return new SyncResult(spec.name(), SyncResult.FAILED, revision(record.commit()), List.of(), List.of(), List.of(), List.of(), List.of(), message);
    }

    /** Records when the scheduler will look again (status only). */
    void nextAttempt(Instant when) {
        RepoStatus s = status;
        status = new RepoStatus(s.name(), s.url(), s.branch(), s.path(), s.ready(), s.reason(), s.message(), s.revision(), s.lastAttempt(),
                s.lastSuccess(), s.failures(), when, s.apps(), s.errors());
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

    /** Ownership as the record says, for {@link GitSources}. */
    Set<String> apps() {
        return record.apps().keySet();
    }

    @Override
    public void close() {
        mirror.close();
    }
}
