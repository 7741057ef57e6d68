package dev.orch.state;

import java.time.Instant;

/**
 * A search of the audit log ({@code orchctl audit}): every condition that is not null must hold.
 *
 * @param app only this app's entries
 * @param since only entries at or after this time
 * @param source {@code git} (a commit, or a rollout of a git revision), {@code api} (a user or token through the
 *     API, or a rollout of what they applied) or {@code controller} (orchd on its own)
 * @param limit at most this many, the newest (0 or less: all)
 */
public record AuditQuery(String app, Instant since, String source, int limit) {
    public static final String GIT = "git";
    public static final String API = "api";
    public static final String CONTROLLER = "controller";

    public boolean matches(AuditEntry e) {
        return (app == null || app.equals(e.app())) && (since == null || !e.time().isBefore(since)) && (source == null || source.equals(sourceOf(e)));
    }

    /** Where the change came from: the actor's kind, or for orchd's own entries the desired state they carried out. */
    public static String sourceOf(AuditEntry e) {
        String who = e.actor() != null ? e.actor() : e.cause();
        String why = e.cause() == null ? "" : e.cause();
        if (who != null && who.startsWith("git ")) {
            return GIT;
        }
        if (who != null && (who.startsWith("user ") || who.startsWith("token "))) {
            return API;
        }
        if (why.startsWith("git ")) {
            return GIT;
        }
        return why.equals("apply") || why.equals(API) ? API : CONTROLLER;
    }
}
