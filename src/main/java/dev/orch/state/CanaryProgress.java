package dev.orch.state;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * How far a canary has come (persisted in the rollout, so a daemon restart resumes it).
 *
 * @param step index of the step being carried out (the number of steps once they are all done)
 * @param steps how many steps the canary has
 * @param stepStartedAt when {@code step} began (a pause counts from here)
 * @param weight the percentage of new requests the route sends to the new color now
 * @param analysis the judged windows of the new color's counts (the bake's bookkeeping); null without analysis
 * @param stableMark the live color's counts at the start of the analysis window (its p99 is the latency baseline)
 * @param request what {@code orchctl rollout promote|abort} asked for and the planner has not done yet
 */
@RegisterForReflection
public record CanaryProgress(int step, int steps, Instant stepStartedAt, int weight, BakeProgress analysis, Traffic stableMark, Request request) {

    /** What the CLI asked a running canary to do. */
    public enum Request {
        /** {@code rollout promote}: end the current step (a pause) now. */
        PROMOTE,
        /** {@code rollout promote --full}: skip every remaining step, to 100 %. */
        FULL,
        /** {@code rollout abort}: back to 100 % on the live color, the revision remembered as bad. */
        ABORT
    }

    public CanaryProgress at(int nextStep, Instant now, int nextWeight) {
        return new CanaryProgress(nextStep, steps, now, nextWeight, analysis, stableMark, request == Request.PROMOTE ? null : request);
    }

    public CanaryProgress judged(BakeProgress next, Traffic stable) {
        return new CanaryProgress(step, steps, stepStartedAt, weight, next, stable, request);
    }

    public CanaryProgress asked(Request r) {
        // an abort is never downgraded by a later promote
        return new CanaryProgress(step, steps, stepStartedAt, weight, analysis, stableMark, request == Request.ABORT ? request : r);
    }

    /** As status shows it: "step 2/4, weight 10 %". */
    public String describe() {
        return "step " + Math.min(step + 1, steps) + "/" + steps + ", weight " + weight + " %";
    }
}
