package dev.orch.state;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Objects;

/**
 * The current or last rollout of an app. After a restart the daemon resumes from {@code phase}.
 *
 * @param targetRevision revision being rolled out
 * @param targetColor color it is rolled out to (the idle color when it began)
 * @param phaseStartedAt when {@code phase} was entered
 * @param deadline when the rollout aborts if not ready (start + progressDeadlineSeconds); null once past the wait
 */
@RegisterForReflection
public record Rollout(RolloutPhase phase, int targetRevision, Color targetColor, Instant phaseStartedAt, Instant deadline) {
    public Rollout {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(targetColor, "targetColor");
    }

    public Rollout enter(RolloutPhase next, Instant now) {
        return new Rollout(next, targetRevision, targetColor, now, deadline);
    }
}
