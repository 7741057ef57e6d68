package dev.orch.source;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

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
 */
@RegisterForReflection
public record RepoStatus(String name, String url, String branch, String path, String ready, String reason, String message,
        String revision, Instant lastAttempt, Instant lastSuccess, int failures, Instant nextAttempt, List<String> apps,
        List<String> errors) {}
