package dev.orch.reconcile;

import dev.orch.manifest.SmokeCheck;
import dev.orch.state.AppEvent;
import dev.orch.state.Reason;
import dev.orch.state.Rollout;
import java.util.List;

/**
 * The planner's decisions about the pre-switch smoke checks (part of the pure {@link Planner}): once the new color
 * counts as ready, send them (an effect); a verdict for this color and revision lets the switch go on or aborts.
 */
final class SmokePlanner {
    private SmokePlanner() {}

    /** Before the switch (or the promotion hold): the smoke step, or null when there are none or they passed. */
    static Draft gate(Observation o, Rollout r) {
        List<SmokeCheck> checks = o.desired().deployment().spec().strategy().blueGreen().smokeChecksOrNone();
        if (checks.isEmpty()) {
            return null;
        }
        SmokeVerdict v = o.smoke();
        if (v == null || !v.isFor(r.targetColor(), r.targetRevision())) {
            return new Draft(Planner.availability(o, o.actual())).effect(new Effect.RunSmokeChecks(r.targetColor(), r.targetRevision()), Result.NOW);
        }
        if (v.passed()) {
            return null;
        }
        return Planner.abort(o, r, Reason.SMOKE_CHECK_FAILED,
                "revision " + r.targetRevision() + " in " + r.targetColor() + " failed its smoke check " + v.failure());
    }

    /** The Normal event the switch after passed smoke checks carries; null without smoke checks. */
    static AppEvent passed(Observation o, Rollout r) {
        SmokeVerdict v = o.smoke();
        if (o.desired().deployment().spec().strategy().blueGreen().smokeChecksOrNone().isEmpty() || v == null
                || !v.isFor(r.targetColor(), r.targetRevision()) || !v.passed()) {
            return null;
        }
        return AppEvent.normal(o.now(), Reason.SMOKE_CHECKS_PASSED, "revision " + r.targetRevision() + " in " + r.targetColor() + " passed "
                + v.sent() + " smoke check request" + (v.sent() == 1 ? "" : "s") + " via " + v.via());
    }
}
