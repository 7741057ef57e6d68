package dev.orch.state;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One line of {@code audit.log}: a change orch made, who asked and why.
 *
 * @param app the app concerned, or null for daemon-wide actions
 * @param action e.g. {@code apply}, {@code delete}, {@code rollout}, {@code switch}, {@code undo}
 * @param cause why: for a request, who made it ({@code user alice}, {@code token api}, {@code git <commit> <author>});
 *     for orchd's own steps, the desired state they carry out ({@code apply}, {@code git <repository> <revision> <path>})
 *     or {@code rollout} / {@code controller}
 * @param details free-form key/value detail (revision, colors, ...)
 * @param actor who: the unix-socket peer ({@code user alice}), the API token ({@code token api}), the commit and
 *     its author ({@code git 1a2b3c4d5e6f Jane <jane@example.com>}) or {@code controller orchd}; null in lines
 *     written before it was recorded
 */
@RegisterForReflection
public record AuditEntry(Instant time, String app, String action, String cause, Map<String, String> details, String actor) {
    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(action, "action");
        // sorted, so a line's keys come out in a stable order
        details = details == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(details));
    }

    /** An entry whose cause is its actor: a request's own record. */
    public AuditEntry(Instant time, String app, String action, String actor, Map<String, String> details) {
        this(time, app, action, actor, details, actor);
    }
}
