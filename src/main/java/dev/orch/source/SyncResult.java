package dev.orch.source;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * What one sync of one repository did ({@code orchctl sync} prints it).
 *
 * @param repo repository name
 * @param result {@code synced} (a new commit was applied), {@code unchanged} (same commit: nothing done) or
 *     {@code failed} (the remote could not be read: the last good commit keeps serving)
 * @param revision {@code <branch>@sha1:<commit>} now deployed from this repository (the last good one on failure), or null
 * @param added apps created
 * @param changed apps whose desired state changed
 * @param removed apps pruned because their manifest left the repository
 * @param failed apps kept at their last good revision because their file has errors
 * @param errors manifest errors of this commit ({@code path:line:col: field: message}) and warnings (nothing pruned, ...)
 * @param message why the sync failed, or null
 */
@RegisterForReflection
public record SyncResult(String repo, String result, String revision, List<String> added, List<String> changed, List<String> removed,
        List<String> failed, List<String> errors, String message) {
    public static final String SYNCED = "synced";
    public static final String UNCHANGED = "unchanged";
    public static final String FAILED = "failed";

    public SyncResult {
        added = List.copyOf(added);
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
        failed = List.copyOf(failed);
        errors = List.copyOf(errors);
    }

    /** Whether {@code orchctl sync} should exit 1: the remote failed, or some file of the commit has errors. */
    public boolean failedAnything() {
        return FAILED.equals(result) || !failed.isEmpty() || errors.stream().anyMatch(e -> !e.startsWith("warning: "));
    }
}
