package dev.orch.state;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Objects;

/**
 * The current or last rollout of an app. After a restart the daemon resumes from {@code phase}.
 *
 * @param targetRevision revision being rolled out
 * @param targetHash template hash of that revision (a changed desired hash supersedes the rollout)
 * @param targetColor color it is rolled out to (the idle color when it began)
 * @param phaseStartedAt when {@code phase} was entered
 * @param deadline when the rollout aborts if not ready (start + progressDeadlineSeconds); null once past the wait
 * @param promoted set by {@code orchctl rollout promote} when the strategy waits for manual promotion
 */
@RegisterForReflection
public record Rollout(
        RolloutPhase phase,
        int targetRevision,
        String targetHash,
        Color targetColor,
        Instant phaseStartedAt,
        Instant deadline,
        boolean promoted) {
    public Rollout {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(targetColor, "targetColor");
    }

    public boolean inProgress() {
        return !phase.terminal();
    }

    public Rollout promote() {
        return new Rollout(phase, targetRevision, targetHash, targetColor, phaseStartedAt, deadline, true);
    }

    public Rollout enter(RolloutPhase next, Instant now) {
        return new Rollout(next, targetRevision, targetHash, targetColor, now, deadline, promoted);
    }
}
