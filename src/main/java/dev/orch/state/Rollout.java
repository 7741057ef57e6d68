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
 * @param liveMark the live color's route counts when the rollout began (the bake's latency baseline); null if none
 * @param bake the bake window's progress once switched; null before the switch or without a bake
 * @param retry set by {@code orchctl rollout retry} on an aborted rollout: its revision may be started again
 * @param readySince since when every replica of the target has been ready without a break (for
 *     {@code minReadySeconds}); null while not all are
 * @param canary how far a canary has come (step, weight, analysis, requests from the CLI); null for blue/green
 */
@RegisterForReflection
public record Rollout(
        RolloutPhase phase,
        int targetRevision,
        String targetHash,
        Color targetColor,
        Instant phaseStartedAt,
        Instant deadline,
        boolean promoted,
        Traffic liveMark,
        BakeProgress bake,
        boolean retry,
        Instant readySince,
        CanaryProgress canary) {
    public Rollout {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(targetColor, "targetColor");
    }

    public Rollout(RolloutPhase phase, int targetRevision, String targetHash, Color targetColor, Instant phaseStartedAt, Instant deadline,
            boolean promoted) {
        this(phase, targetRevision, targetHash, targetColor, phaseStartedAt, deadline, promoted, null, null, false, null, null);
    }

    public Rollout(RolloutPhase phase, int targetRevision, String targetHash, Color targetColor, Instant phaseStartedAt, Instant deadline,
            boolean promoted, Traffic liveMark, BakeProgress bake, boolean retry) {
        this(phase, targetRevision, targetHash, targetColor, phaseStartedAt, deadline, promoted, liveMark, bake, retry, null, null);
    }

    public Rollout withReadySince(Instant since) {
        return new Rollout(phase, targetRevision, targetHash, targetColor, phaseStartedAt, deadline, promoted, liveMark, bake, retry, since, canary);
    }

    public Rollout withCanary(CanaryProgress progress) {
        return new Rollout(phase, targetRevision, targetHash, targetColor, phaseStartedAt, deadline, promoted, liveMark, bake, retry, readySince, progress);
    }

    /** A canary is splitting the traffic (what {@code rollout promote --full} and {@code rollout abort} act on). */
    public boolean inCanary() {
        return phase == RolloutPhase.CANARY && canary != null;
    }

    public boolean inProgress() {
        return !phase.terminal();
    }

    public Rollout promote() {
        return new Rollout(phase, targetRevision, targetHash, targetColor, phaseStartedAt, deadline, true, liveMark, bake, retry, readySince, canary);
    }

    public Rollout enter(RolloutPhase next, Instant now) {
        return new Rollout(next, targetRevision, targetHash, targetColor, now, deadline, promoted, liveMark, bake, retry, readySince, canary);
    }

    public Rollout withLiveMark(Traffic mark) {
        return new Rollout(phase, targetRevision, targetHash, targetColor, phaseStartedAt, deadline, promoted, mark, bake, retry, readySince, canary);
    }

    public Rollout withBake(BakeProgress progress) {
        return new Rollout(phase, targetRevision, targetHash, targetColor, phaseStartedAt, deadline, promoted, liveMark, progress, retry, readySince, canary);
    }

    /** An aborted rollout's revision is no longer remembered as bad. */
    public Rollout retried() {
        return new Rollout(phase, targetRevision, targetHash, targetColor, phaseStartedAt, deadline, promoted, liveMark, bake, true, readySince, canary);
    }

    /** An aborted rollout whose revision must not be started again for {@code hash} (until retried). */
    public boolean remembersBad(String hash) {
        return phase == RolloutPhase.ABORTED && !retry && hash != null && hash.equals(targetHash);
    }
}
