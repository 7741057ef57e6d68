package dev.orch.state;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One line of {@code audit.log}: a change orch made and why.
 *
 * @param app the app concerned, or null for daemon-wide actions
 * @param action e.g. {@code apply}, {@code delete}, {@code rollout}, {@code switch}, {@code undo}
 * @param cause who asked: the API caller, or {@code git <commit> <author>}
 * @param details free-form key/value detail (revision, colors, ...)
 */
@RegisterForReflection
public record AuditEntry(Instant time, String app, String action, String cause, Map<String, String> details) {
    public AuditEntry {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(action, "action");
        // sorted, so a line's keys come out in a stable order
        details = details == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(details));
    }
}
