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
 * @param author {@code Name <email>} of the applied commit's author, or null
 * @param verified the {@code SourceVerified} condition of the commit this sync looked at, or null (verification off,
 *     or no new commit)
 */
@RegisterForReflection
public record SyncResult(String repo, String result, String revision, List<String> added, List<String> changed, List<String> removed,
        List<String> failed, List<String> errors, String message, String author, SourceCondition verified) {
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

    public SyncResult(String repo, String result, String revision, List<String> added, List<String> changed, List<String> removed,
            List<String> failed, List<String> errors, String message) {
        this(repo, result, revision, added, changed, removed, failed, errors, message, null, null);
    }

    /** This result with the commit's author and its verification. */
    SyncResult with(String author, SourceCondition verified) {
        return new SyncResult(repo, result, revision, added, changed, removed, failed, errors, message, author, verified);
    }

    /** The signer of the commit, when it was verified. */
    public String signer() {
        return verified == null ? null : verified.signer();
    }

    /** Whether the tip was refused because its signature is missing or not trusted. */
    public boolean verificationFailed() {
        return verified != null && verified.isFalse();
    }

    /** Whether {@code orchctl sync} should exit 1: the remote failed, or some file of the commit has errors. */
    public boolean failedAnything() {
        return FAILED.equals(result) || !failed.isEmpty() || errors.stream().anyMatch(e -> !e.startsWith("warning: "));
    }
}
