package dev.orch.source;

import dev.orch.intake.Actor;
import dev.orch.intake.Pin;
import dev.orch.manifest.LoadResult;
import dev.orch.manifest.LoadedManifest;
import dev.orch.manifest.ManifestError;
import dev.orch.source.SyncPlan.Action;
import dev.orch.source.SyncPlan.Step;
import dev.orch.state.AppEvent;
import dev.orch.state.Condition;
import dev.orch.state.ConditionStatus;
import dev.orch.state.ConditionType;
import dev.orch.state.DesiredApp;
import dev.orch.state.Reason;
import dev.orch.state.SourceKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The sync decision, a pure function: from what the repository said before, what the new commit holds and the
 * desired state of its apps, to a {@link SyncPlan}. No I/O, no clock. The rules (docs/gitops.md):
 * <ul>
 *   <li>an app created or changed in git is put; its {@code source} names the commit and the file;
 *   <li>an app unchanged in git is left alone, and so is an override by {@code apply} until a commit changes the app;
 *   <li>an app pinned by hand ({@code rollout undo}, {@code delete --force-conflicts}) stays as it is until a commit
 *       changes that app's manifest: commits that touch other apps leave the pin alone;
 *   <li>every app a file with errors defined (or defines) keeps its last good definition;
 *   <li>an app that left the repository, or that this host no longer takes (placement), is deleted, unless the
 *       directory is missing or holds no manifest at all;
 *   <li>an app another repository defines is refused, as an error of the file that claims it.
 * </ul>
 */
public final class SyncPlanner {
    /** The repository as messages name it: its configured name, URL without secrets, and directory ({@code .} for the root). */
    public record Repo(String name, String url, String path) {}

    /**
     * The commit being applied: its id (40 hex), revision ({@code <branch>@sha1:<id>}), {@code Name <email>} of its
     * author and who signed it (verification on), else null.
     */
    public record Commit(String id, String revision, String author, String signer) {
        public Commit(String id, String revision, String author) {
            this(id, revision, author, null);
        }

        /** The audit entries' actor: {@code 1a2b3c4d5e6f Jane <jane@...>}, with {@code signed by ...} when verified. */
        String actor() {
            return shortId() + " " + author + (signer == null ? "" : " signed by " + signer);
        }

        public String shortId() {
            return id.substring(0, Math.min(12, id.length()));
        }
    }

    /**
     * What the configured directory of the commit holds: {@code exists} is false when the commit has no such directory.
     *
     * @param loaded the manifests this host takes (overrides applied), and every error
     * @param notPlaced apps the commit defines that this host does not take, with why (they count against the prune guard)
     */
    public record Contents(boolean exists, LoadResult loaded, Map<String, String> notPlaced) {
        public static final Contents MISSING = new Contents(false, new LoadResult(List.of(), List.of()));

        public Contents {
            notPlaced = Map.copyOf(notPlaced);
        }

        public Contents(boolean exists, LoadResult loaded) {
            this(exists, loaded, Map.of());
        }
    }

    private SyncPlanner() {}

    /**
     * @param previous the record of the last synced commit
     * @param contents the manifests and errors of the new commit, named by their path in the repository
     * @param desired the stored desired state of the apps {@code previous} and {@code contents} name (absent: none)
     * @param claimedElsewhere app to the other repository that defines it ({@code name (url path)}), for the apps of {@code contents}
     * @param now the time of conditions and events
     */
    public static SyncPlan plan(RepoRecord previous, Contents contents, Map<String, DesiredApp> desired, Map<String, String> claimedElsewhere,
            Repo repo, Commit commit, Instant now) {
        return plan(previous, contents, desired, claimedElsewhere, Map.of(), repo, commit, now);
    }

    /**
     * @param portsTaken app to its route-port conflicts ({@code spec.route.port: port 9464 is ...}): orchd's own
     *     listeners or another app's route; such an app is held (or not created) like one with an invalid file
     */
    public static SyncPlan plan(RepoRecord previous, Contents contents, Map<String, DesiredApp> desired, Map<String, String> claimedElsewhere,
            Map<String, List<String>> portsTaken, Repo repo, Commit commit, Instant now) {
        String rev = commit.revision();
        Map<String, List<String>> fileErrors = new LinkedHashMap<>();
        for (ManifestError e : contents.loaded().errors()) {
            fileErrors.computeIfAbsent(e.file(), f -> new ArrayList<>()).add(e.toString());
        }
        Map<String, String> conflicts = new TreeMap<>();
        for (LoadedManifest m : contents.loaded().manifests()) {
            String other = claimedElsewhere.get(m.deployment().name());
            if (other != null) {
                String line = m.location() + ":1: metadata.name: app \"" + m.deployment().name() + "\" is already defined by git repository "
                        + other + "; an app has exactly one source";
                fileErrors.computeIfAbsent(m.file(), f -> new ArrayList<>()).add(line);
                conflicts.put(m.deployment().name(), line);
            }
            for (String taken : portsTaken.getOrDefault(m.deployment().name(), List.of())) {
                fileErrors.computeIfAbsent(m.file(), f -> new ArrayList<>()).add(m.location() + ":1: " + taken);
            }
        }

        Map<String, Step> steps = new TreeMap<>();
        Map<String, RepoRecord.AppRecord> next = new TreeMap<>();
        Map<String, Pin> pins = new TreeMap<>();
        for (LoadedManifest m : contents.loaded().manifests()) {
            String app = m.deployment().name();
            RepoRecord.AppRecord before = previous.apps().get(app);
            if (fileErrors.containsKey(m.file())) {
                // a file with an error holds every app it defines, the good documents too, until it is fixed
                if (before != null) {
                    steps.put(app, hold(app, before, fileErrors.get(m.file()), commit, now));
                    next.put(app, before);
                    keepPin(previous, app, pins);
                } else {
                    steps.put(app, new Step(app, conflicts.containsKey(app) ? Action.CONFLICT : Action.BLOCKED, null, m.file(), null, null, Map.of()));
                }
                continue;
            }
            String hash = RepoRecord.hashOf(m.deployment());
            DesiredApp d = desired.get(app);
            boolean gitSame = before != null && Objects.equals(before.hash(), hash) && before.path().equals(m.file());
            boolean overridden = d != null && d.source().type() == SourceKind.APPLY && before != null;
            boolean current = d != null && d.source().type() == SourceKind.GIT && repo.url().equals(d.source().repository())
                    && m.file().equals(d.source().path()) && d.deployment().equals(m.deployment());
            Pin pin = previous.pins().get(app);
            if (pin != null && gitSame) {
                // held by hand: only a commit that changes this app's manifest ends the pin
                next.put(app, before);
                pins.put(app, pin);
                steps.put(app, new Step(app, Action.KEEP, null, m.file(), null, null, Map.of()));
                continue;
            }
            if ((gitSame && overridden) || current) {
                // unchanged in git: an override by apply stays until a commit changes this app
                String keptRev = current ? d.source().revision() : before.revision();
                next.put(app, new RepoRecord.AppRecord(m.file(), keptRev, hash));
                Condition fixed = !previous.held().contains(app) ? null
                        : current ? synced(repo, keptRev, m.file(), "file fixed in " + commit.shortId(), now)
                        : Condition.of(ConditionType.GIT_SYNCED, ConditionStatus.FALSE, Reason.OVERRIDDEN_BY_APPLY, "applied by hand over git repository "
                                + repo.name() + " (" + repo.url() + ") " + m.file() + "; the next commit that changes this app replaces it", now);
                steps.put(app, new Step(app, Action.KEEP, null, m.file(), fixed, null, Map.of()));
                continue;
            }
            boolean created = d == null;
            next.put(app, new RepoRecord.AppRecord(m.file(), rev, hash));
            steps.put(app, new Step(app, created ? Action.CREATE : Action.UPDATE, m.deployment(), m.file(),
                    synced(repo, rev, m.file(), created ? "created" : "changed", now),
                    AppEvent.normal(now, Reason.GIT_SYNCED, (created ? "created from " : "updated from ") + repo.name() + " " + rev + " " + m.file()
                            + (pin == null ? "" : "; this commit changes " + app + ", so the pin (" + pin.reason() + " by " + pin.actor() + ") ended")),
                    audit(repo, rev, m.file())));
        }

        // apps whose documents are gone: their file failed (held), or they left the repository (pruned, unless nothing is left to read)
        List<String> gone = new ArrayList<>();
        for (var e : previous.apps().entrySet()) {
            String app = e.getKey();
            if (steps.containsKey(app)) {
                continue;
            }
            if (fileErrors.containsKey(e.getValue().path())) {
                steps.put(app, hold(app, e.getValue(), fileErrors.get(e.getValue().path()), commit, now));
                next.put(app, e.getValue());
                keepPin(previous, app, pins);
            } else {
                gone.add(app);
            }
        }
        List<String> warnings = new ArrayList<>();
        boolean spare = !gone.isEmpty() && (!contents.exists() || (contents.loaded().manifests().isEmpty() && contents.notPlaced().isEmpty()));
        if (spare) {
            String why = !contents.exists() ? "directory " + repo.path() + " does not exist in " + rev : "directory " + repo.path() + " holds no manifest in " + rev;
            warnings.add("warning: " + why + ": nothing pruned (" + String.join(", ", gone) + " kept); delete apps one by one, or restore the directory");
        }
        for (String app : gone) {
            RepoRecord.AppRecord before = previous.apps().get(app);
            if (spare) {
                steps.put(app, new Step(app, Action.SPARE, null, before.path(), null, null, Map.of()));
                next.put(app, before);
                keepPin(previous, app, pins);
            } else {
                Map<String, String> audit = new TreeMap<>(audit(repo, rev, before.path()));
                if (contents.notPlaced().containsKey(app)) {
                    audit.put("notPlaced", contents.notPlaced().get(app));
                }
                steps.put(app, new Step(app, Action.DELETE, null, before.path(), null, null, audit));
            }
        }

        List<String> errors = new ArrayList<>(warnings);
        fileErrors.values().forEach(errors::addAll);
        String reason = !fileErrors.isEmpty() ? "ManifestErrors" : !warnings.isEmpty() ? "NothingPruned" : "Synced";
        String message = "at " + rev + (fileErrors.isEmpty() ? "" : "; " + fileErrors.size() + " file(s) with errors: " + String.join(", ", fileErrors.keySet()))
                + (warnings.isEmpty() ? "" : "; " + warnings.get(0).substring("warning: ".length()));
        List<String> held = steps.values().stream().filter(s -> s.action() == Action.HOLD).map(Step::app).toList();
        return new SyncPlan(rev, Actor.git(commit.actor()), List.copyOf(steps.values()),
                new RepoRecord(commit.id(), next, new TreeSet<>(held), pins), errors, fileErrors.isEmpty(), reason, message);
    }

    private static void keepPin(RepoRecord previous, String app, Map<String, Pin> pins) {
        Pin p = previous.pins().get(app);
        if (p != null) {
            pins.put(app, p);
        }
    }

    private static Step hold(String app, RepoRecord.AppRecord before, List<String> errors, Commit commit, Instant now) {
        String msg = "commit " + commit.shortId() + ": " + String.join("; ", errors) + "; still running " + before.revision() + " (the last good revision)";
        return new Step(app, Action.HOLD, null, before.path(), Condition.of(ConditionType.GIT_SYNCED, ConditionStatus.FALSE, Reason.MANIFEST_ERROR, msg, now),
                AppEvent.warning(now, Reason.MANIFEST_ERROR, msg), Map.of());
    }

    private static Condition synced(Repo repo, String rev, String path, String what, Instant now) {
        return Condition.of(ConditionType.GIT_SYNCED, ConditionStatus.TRUE, Reason.SYNCED, repo.name() + " " + rev + " " + path + " (" + what + ")", now);
    }

    private static Map<String, String> audit(Repo repo, String rev, String path) {
        return Map.of("repository", repo.url(), "revision", rev, "path", path);
    }
}
