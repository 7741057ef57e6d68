package dev.orch.source;

import dev.orch.intake.Actor;
import dev.orch.manifest.Deployment;
import dev.orch.state.AppEvent;
import dev.orch.state.Condition;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one new commit of one repository does, as {@link SyncPlanner} decided it: one step per app, the record to
 * keep, and the repository's status. {@link GitSource} executes it through the intake and decides nothing.
 *
 * @param revision {@code <branch>@sha1:<commit>} of the commit
 * @param actor who the audit entries name: the short commit and its author
 * @param steps one per app the commit or the previous record mentions, sorted by app
 * @param next the record once the plan is done
 * @param errors warnings ({@code warning: ...}) first, then every file error ({@code path:line:col: field: message})
 * @param ready whether no file has errors
 * @param reason {@code Synced}, {@code ManifestErrors} or {@code NothingPruned}
 * @param message the repository status message
 */
public record SyncPlan(String revision, Actor actor, List<Step> steps, RepoRecord next, List<String> errors, boolean ready, String reason,
        String message) {
    public SyncPlan {
        steps = List.copyOf(steps);
        errors = List.copyOf(errors);
    }

    public enum Action {
        /** New app: put its desired state. */
        CREATE,
        /** Changed in git (manifest or file), or an override by apply replaced: put its desired state. */
        UPDATE,
        /** Unchanged in git, or an override by apply kept until git changes the app: desired state untouched. */
        KEEP,
        /** Its file has errors: it keeps its last good definition, with a {@code ManifestError} condition. */
        HOLD,
        /** It left the repository: delete its desired state. */
        DELETE,
        /** It left the repository, but the directory is missing or holds no manifest: nothing is pruned. */
        SPARE,
        /** Another repository defines it: refused here (a file error), the owner keeps it. */
        CONFLICT,
        /** New, but its file has errors: not created until the file loads. */
        BLOCKED
    }

    /**
     * @param deployment what to put (CREATE, UPDATE), else null
     * @param path the file that defines the app in git, or defined it (DELETE, SPARE, HOLD of a vanished document)
     * @param condition the app's {@code GitSynced} condition to post, or null
     * @param event the event to post with it, or null
     * @param audit the audit details of a put or delete ({@code repository}, {@code revision}, {@code path}), else empty
     */
    public record Step(String app, Action action, Deployment deployment, String path, Condition condition, AppEvent event,
            Map<String, String> audit) {
        public Step {
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(action, "action");
            audit = Map.copyOf(audit);
        }
    }

    /** The apps of the steps with this action, in order. */
    public List<String> apps(Action action) {
        return steps.stream().filter(s -> s.action() == action).map(Step::app).toList();
    }

    /** What {@code orchctl sync} prints of it. */
    public SyncResult result(String repo) {
        return new SyncResult(repo, SyncResult.SYNCED, revision, apps(Action.CREATE), apps(Action.UPDATE), apps(Action.DELETE),
                apps(Action.HOLD), errors, null);
    }
}
