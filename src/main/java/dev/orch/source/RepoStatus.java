package dev.orch.source;

import dev.orch.intake.Pin;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A repository's condition, for the API ({@code GET /api/v1/sources}) and logs.
 *
 * @param ready {@code True} when the last attempt fetched and applied (or skipped) cleanly, else {@code False}
 * @param reason {@code Synced}, {@code ManifestErrors}, {@code NothingPruned}, or a {@link RemoteException.Reason}
 * @param revision last good revision, {@code <branch>@sha1:<commit>}, or null before the first sync
 * @param failures consecutive failed fetches (retried with backoff)
 * @param nextAttempt when the next poll or retry is due
 * @param apps apps this repository defines
 * @param errors manifest errors and warnings of the last good commit
 * @param pins apps held by hand against the repository (rolled back, or deleted with {@code --force-conflicts}) until a
 *     commit changes them
 * @param conditions {@code SourceVerified} when verification is on (empty otherwise)
 */
@RegisterForReflection
public record RepoStatus(String name, String url, String branch, String path, String ready, String reason, String message,
        String revision, Instant lastAttempt, Instant lastSuccess, int failures, Instant nextAttempt, List<String> apps,
        List<String> errors, Map<String, Pin> pins, List<SourceCondition> conditions) {
    public RepoStatus {
        pins = pins == null ? Map.of() : new TreeMap<>(pins);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    /** The same status with the record's pins. */
    RepoStatus withPins(Map<String, Pin> p) {
        return new RepoStatus(name, url, branch, path, ready, reason, message, revision, lastAttempt, lastSuccess, failures, nextAttempt, apps, errors, p,
                conditions);
    }
}
