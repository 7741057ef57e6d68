package dev.orch.notify;

import dev.orch.state.Reason;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one schema every notification carries, whatever the phase (reasons as in {@code orchctl describe}).
 *
 * @param reason e.g. {@code RolloutStarted}, {@code Switched}, {@code Promoted}, {@code RolledBack}, {@code ProgressDeadlineExceeded}
 * @param revision the live color's revision number, or 0 before anything runs
 * @param liveColor {@code blue}, {@code green} or null
 * @param commit the git commit of the live revision ({@code branch@sha1:...}), or null for {@code orchctl apply}
 * @param message the event's message: for a failure, its evidence (the error, the probe, the deadline)
 * @param source the git repository's name for a source event, else null
 * @param app null for a source event that concerns no single app (a failed fetch)
 * @param author {@code Name <email>} of the commit's author (source events), else null
 * @param signer who signed the commit when the repository verifies signatures (source events), else null
 */
public record DeployEvent(Instant time, String app, String host, String reason, Severity severity, String message,
        int revision, String liveColor, String commit, String source, String author, String signer) {
    public DeployEvent(Instant time, String app, String host, String reason, Severity severity, String message,
            int revision, String liveColor, String commit, String source) {
        this(time, app, host, reason, severity, message, revision, liveColor, commit, source, null, null);
    }

    /** Warnings that mean a rollout or the app failed, not a wait or a correction. */
    private static final Set<String> ERRORS = Set.of(Reason.PROGRESS_DEADLINE_EXCEEDED.wire(), Reason.RECONCILE_ERROR.wire(),
            Reason.ARTIFACT_DOWNLOAD_FAILED.wire(), Reason.REVISION_MISSING.wire(), Reason.NO_FREE_PORT.wire(),
            Reason.LIVENESS_FAILED.wire(), Reason.MINIMUM_REPLICAS_UNAVAILABLE.wire());

    static Severity severityOf(boolean warning, String reason) {
        if (!warning) {
            return Severity.INFO;
        }
        return ERRORS.contains(reason) ? Severity.ERROR : Severity.WARNING;
    }

    /** What duplicates of one event share: an identical event within the dedup window is sent once. */
    String dedupKey() {
        return source + '\u0000' + app + '\u0000' + reason + '\u0000' + message + '\u0000' + revision + '\u0000' + commit;
    }

    /** The generic webhook body (plain maps: nothing for native reflection to register). */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", time.toString());
        m.put("app", app);
        m.put("host", host);
        m.put("reason", reason);
        m.put("severity", severity.wire());
        m.put("message", message);
        m.put("revision", revision);
        m.put("liveColor", liveColor);
        m.put("commit", commit);
        m.put("source", source);
        m.put("author", author);
        m.put("signer", signer);
        return m;
    }
}
