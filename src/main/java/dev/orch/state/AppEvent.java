package dev.orch.state;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of an app's recent events, as {@code orchctl describe} shows them. (Named AppEvent, not Event,
 * so it never clashes with CDI's {@code jakarta.enterprise.event.Event} in the beans that use it.)
 *
 * @param reason CamelCase, e.g. {@code RolloutStarted}, {@code ProgressDeadlineExceeded}
 */
@RegisterForReflection
public record AppEvent(Instant time, EventType type, String reason, String message) {
    public AppEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(type, "type");
    }

    public static AppEvent normal(Instant time, Reason reason, String message) {
        return new AppEvent(time, EventType.NORMAL, reason.wire(), message);
    }

    public static AppEvent warning(Instant time, Reason reason, String message) {
        return new AppEvent(time, EventType.WARNING, reason.wire(), message);
    }
}
