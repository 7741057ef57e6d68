package dev.orch.reconcile;

import dev.orch.manifest.Strategy;
import dev.orch.state.ActualState;
import dev.orch.state.AppEvent;
import dev.orch.state.BakeProgress;
import dev.orch.state.CanaryProgress;
import dev.orch.state.Color;
import dev.orch.state.ConditionStatus;
import dev.orch.state.ConditionType;
import dev.orch.state.Reason;
import dev.orch.state.Rollout;
import dev.orch.state.RolloutPhase;
import dev.orch.state.Traffic;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The planner's decisions for a canary (part of the pure {@link Planner}): once the new color is ready, carry out
 * the steps (set the route's weight, pause for a time or until promoted), judge the new color's counts with the
 * bake's limits during them, and end with a full switch, or go back to 100 % on the live color when the analysis
 * fails, a user aborts, or a newer revision is desired.
 */
final class CanaryPlanner {
    private CanaryPlanner() {}

    /** The desired strategy's canary, or null (blue/green, or no desired state). */
    static Strategy.Canary spec(Observation o) {
        return o.desired() == null ? null : o.desired().deployment().spec().strategy().canary();
    }

    /** The cookie token of this rollout's canary: a client's cookie from an earlier canary is not honoured. */
    static String token(Rollout r) {
        return "r" + r.targetRevision();
    }

    /** The new color is ready: the canary begins at weight 0 (a first deploy, with nothing live, is switched at once). */
    static Draft begin(Observation o, Rollout r) {
        ActualState a = o.actual();
        Strategy.Canary spec = spec(o);
        Color stable = r.targetColor().other();
        BakeProgress analysis = spec.analysis().enabled()
                ? new BakeProgress(o.now(), o.route().traffic(r.targetColor()), null, 0, 0, null, false) : null;
        CanaryProgress p = new CanaryProgress(0, spec.steps().size(), o.now(), 0, analysis, o.route().traffic(stable), null);
        String msg = "revision " + r.targetRevision() + " is ready in " + r.targetColor() + "; its canary of " + spec.steps().size()
                + " step" + (spec.steps().size() == 1 ? "" : "s") + " begins, " + stable + " keeps serving the rest";
        ActualState after = a.withRollout(r.enter(RolloutPhase.CANARY, o.now()).withCanary(p))
                .withCondition(Planner.cond(ConditionType.PROGRESSING, ConditionStatus.TRUE, Reason.NEW_REVISION, msg, o.now()));
        return new Draft(Planner.availability(o, after)).effect(Effect.NONE, Result.NOW);
    }

    /** The Canary phase: the next step of it. */
    static Draft during(Observation o, Rollout r) {
        ActualState a = o.actual();
        Strategy.Canary spec = spec(o);
        CanaryProgress p = r.canary();
        Color canary = r.targetColor();
        Color stable = canary.other();
        if (p.request() == CanaryProgress.Request.ABORT) {
            String msg = "revision " + r.targetRevision() + " canary aborted by 'orchctl rollout abort' at " + p.describe();
            return back(o, r, p, Reason.ABORTED, msg, "user").signal(Plan.Signal.Kind.ROLLOUT_ENDED, "aborted", Reason.ABORTED.wire());
        }
        boolean newerDesired = o.desiredHash() != null && !o.desiredHash().equals(r.targetHash());
        if (newerDesired || spec == null) {
            String msg = "revision " + r.targetRevision() + " was replaced by a newer desired state during its canary (" + p.describe() + ")";
            return back(o, r, p, Reason.SUPERSEDED, msg, "controller").signal(Plan.Signal.Kind.ROLLOUT_ENDED, "aborted", Reason.SUPERSEDED.wire());
        }
        if (o.route().canaryWeight() != p.weight()) {
            // the route lost or never got the split (a daemon or router restart): the persisted weight is put back
            return new Draft(Planner.availability(o, a)).effect(new Effect.SetCanary(canary, p.weight(), token(r)), Result.NOW);
        }
        if (p.request() == CanaryProgress.Request.FULL || p.step() >= p.steps()) {
            return complete(o, r, p);
        }
        Strategy.Bake limits = spec.analysis().limits();
        Instant windowEnd = null;
        if (limits.enabled() && p.analysis() != null) {
            BakeProgress b = p.analysis();
            windowEnd = b.windowStart().plusSeconds(limits.intervalSeconds());
            if (!o.now().isBefore(windowEnd)) {
                Traffic counted = o.route().traffic(canary);
                Traffic stableNow = o.route().traffic(stable);
                // the latency baseline: the live color's p99 over the same window, under the same load
                Long baseline = stableNow.minus(p.stableMark() == null ? Traffic.NONE : p.stableMark()).p99Millis();
                BakePlanner.Verdict failed = BakePlanner.judge(counted.minus(b.windowMark()), limits, baseline, b.windowStart(), o.now());
                BakeProgress next = b.next(o.now(), counted, failed == null ? null : failed.detail());
                CanaryProgress judged = p.judged(next, stableNow);
                if (next.failures() >= limits.failureLimit()) {
                    String msg = "revision " + r.targetRevision() + " failed its canary analysis (" + failed.limit() + ")";
                    Draft d = back(o, r, judged, Reason.ROLLED_BACK, msg, "canary");
                    d.after = d.after.withEvent(AppEvent.warning(o.now(), Reason.ANALYSIS_FAILED, msg + " at " + p.describe() + ": "
                            + next.failures() + " of " + next.windows() + " windows failed, the last " + failed.detail()));
                    return d.signal(Plan.Signal.Kind.ROLLOUT_ENDED, "rolled_back", Reason.ANALYSIS_FAILED.wire());
                }
                return new Draft(Planner.availability(o, a.withRollout(r.withCanary(judged)))).effect(Effect.NONE, Result.NOW);
            }
        }
        Strategy.Step step = spec.steps().get(Math.min(p.step(), spec.steps().size() - 1));
        if (step.pause() == null) {
            CanaryProgress next = p.at(p.step() + 1, o.now(), step.setWeight());
            String msg = "canary of revision " + r.targetRevision() + " in " + canary + ": weight " + step.setWeight() + " % (step "
                    + (p.step() + 1) + "/" + p.steps() + ")";
            ActualState after = a.withRollout(r.withCanary(next))
                    .withCondition(Planner.cond(ConditionType.PROGRESSING, ConditionStatus.TRUE, Reason.CANARY_WEIGHT, msg, o.now()))
                    .withEvent(AppEvent.normal(o.now(), Reason.CANARY_WEIGHT, msg));
            Draft d = new Draft(Planner.availability(o, after)).effect(new Effect.SetCanary(canary, step.setWeight(), token(r)), Result.NOW);
            return d.audit("canary", "rollout", Map.of("revision", Integer.toString(r.targetRevision()), "color", canary.wire(),
                    "weight", Integer.toString(step.setWeight())));
        }
        Integer pauseSeconds = step.pause().durationSeconds();
        Instant pauseEnd = pauseSeconds == null ? null : p.stepStartedAt().plusSeconds(pauseSeconds);
        if (p.request() == CanaryProgress.Request.PROMOTE || (pauseEnd != null && !o.now().isBefore(pauseEnd))) {
            return new Draft(Planner.availability(o, a.withRollout(r.withCanary(p.at(p.step() + 1, o.now(), p.weight())))))
                    .effect(Effect.NONE, Result.NOW);
        }
        Instant wake = earliest(pauseEnd, windowEnd);
        Duration after = wake == null ? Planner.BLOCKED_RETRY : Duration.between(o.now(), wake);
        if (pauseEnd == null) {
            String msg = "canary of revision " + r.targetRevision() + " paused at " + p.describe() + "; run 'orchctl rollout promote "
                    + o.app() + "' to go on (--full for 100 %) or 'orchctl rollout abort " + o.app() + "'";
            ActualState paused = a.withCondition(Planner.cond(ConditionType.PROGRESSING, ConditionStatus.TRUE, Reason.CANARY_PAUSED, msg, o.now()));
            return new Draft(Planner.availability(o, paused)).effect(Effect.NONE, Result.after(after));
        }
        return new Draft(Planner.availability(o, a)).effect(Effect.NONE, Result.after(after));
    }

    /** Every step done (or {@code promote --full}): the route switches to the new color; the old one drains as in blue/green. */
    private static Draft complete(Observation o, Rollout r, CanaryProgress p) {
        ActualState a = o.actual();
        Color canary = r.targetColor();
        CanaryProgress done = new CanaryProgress(p.steps(), p.steps(), o.now(), 100, p.analysis(), p.stableMark(), null);
        String msg = "route now sends all traffic to " + canary + " (revision " + r.targetRevision() + ") after its canary"
                + (p.request() == CanaryProgress.Request.FULL ? " was promoted in full" : "");
        ActualState after = a.withLive(canary)
                .withRollout(r.withCanary(done).withBake(null).enter(RolloutPhase.DRAINING, o.now()))
                .withCondition(Planner.cond(ConditionType.AVAILABLE, ConditionStatus.TRUE, Reason.MINIMUM_REPLICAS_AVAILABLE, msg, o.now()))
                .withEvent(AppEvent.normal(o.now(), Reason.SWITCHED, msg));
        Draft d = new Draft(after).effect(new Effect.SwitchRoute(canary), Result.NOW);
        return d.audit("switch", "rollout", Map.of("color", canary.wire(), "revision", Integer.toString(r.targetRevision())));
    }

    /** Back to 100 % on the live color at once; the canary color is stopped after the drain (Rolling back, then Aborted). */
    private static Draft back(Observation o, Rollout r, CanaryProgress p, Reason reason, String msg, String cause) {
        ActualState a = o.actual();
        Color stable = r.targetColor().other();
        CanaryProgress none = new CanaryProgress(p.step(), p.steps(), o.now(), 0, p.analysis(), p.stableMark(), null);
        ConditionStatus status = reason == Reason.SUPERSEDED ? ConditionStatus.TRUE : ConditionStatus.FALSE;
        ActualState after = a.withRollout(r.withCanary(none).enter(RolloutPhase.ROLLING_BACK, o.now()))
                .withCondition(Planner.cond(ConditionType.PROGRESSING, status, reason, msg, o.now()))
                .withEvent(AppEvent.warning(o.now(), reason, msg + "; route back to 100 % " + stable
                        + (a.color(stable) == null ? "" : " (revision " + a.color(stable).revision() + ")")));
        Draft d = new Draft(after).effect(new Effect.SetCanary(r.targetColor(), 0, token(r)), Result.NOW);
        return d.audit(reason == Reason.SUPERSEDED ? "abort" : "rollback", cause,
                Map.of("revision", Integer.toString(r.targetRevision()), "color", stable.wire(), "reason", reason.wire()));
    }

    private static Instant earliest(Instant x, Instant y) {
        return x == null ? y : y == null ? x : x.isBefore(y) ? x : y;
    }
}
