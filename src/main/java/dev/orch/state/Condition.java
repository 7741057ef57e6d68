package dev.orch.state;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Objects;

/**
 * A Kubernetes-style condition, e.g. {@code Ready=True}.
 *
 * @param type e.g. {@code Ready}, {@code Progressing}; unique within an app
 * @param reason CamelCase machine-readable cause
 * @param message human-readable detail
 * @param lastTransitionTime when {@code status} last changed (not when the condition was last written)
 */
@RegisterForReflection
public record Condition(String type, ConditionStatus status, String reason, String message, Instant lastTransitionTime) {
    public Condition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
    }

    public static Condition of(ConditionType type, ConditionStatus status, Reason reason, String message, Instant now) {
        return new Condition(type.wire(), status, reason.wire(), message, now);
    }

    public boolean is(ConditionStatus s, Reason r) {
        return status == s && r.is(reason);
    }
}
