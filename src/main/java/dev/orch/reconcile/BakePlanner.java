package dev.orch.reconcile;

import dev.orch.manifest.Strategy;
import dev.orch.state.ActualState;
import dev.orch.state.AppEvent;
import dev.orch.state.BakeProgress;
import dev.orch.state.Color;
import dev.orch.state.ConditionStatus;
import dev.orch.state.ConditionType;
import dev.orch.state.Reason;
import dev.orch.state.Rollout;
import dev.orch.state.RolloutPhase;
import dev.orch.state.Traffic;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * The planner's decisions about the bake window after a switch (part of the pure {@link Planner}): start it,
 * judge each window of the new color's route counts, pass it, or flip the route back when the failure limit is
 * reached.
 */
final class BakePlanner {
    /** A baseline p99 below this counts as this: the scheduling jitter of a fast app on a busy host is not a slowdown. */
    static final long BASELINE_FLOOR_MILLIS = 200;

    private BakePlanner() {}

    /** The bake to start with the switch to {@code target}; null when off or when there is no old color to go back to. */
    static BakeProgress start(Observation o, Rollout r) {
        Strategy.Bake spec = spec(o);
        Color old = r.targetColor().other();
        if (spec == null || !spec.enabled() || o.actual().color(old) == null || o.actual().live() != old) {
            return null;
        }
        Traffic oldWindow = r.liveMark() == null ? Traffic.NONE : o.route().traffic(old).minus(r.liveMark());
        return new BakeProgress(o.now(), o.route().traffic(r.targetColor()), oldWindow.p99Millis(), 0, 0, null, false);
    }

    /** During Draining: the bake's next step, or null when it is over (passed, or no bake) and draining goes on. */
    static Draft during(Observation o, Rollout r) {
        BakeProgress b = r.bake();
        Strategy.Bake spec = spec(o);
        boolean newerDesired = o.desiredHash() != null && !o.desiredHash().equals(r.targetHash());
        if (b == null || b.passed() || spec == null || newerDesired) {
            return null;
        }
        ActualState a = o.actual();
        Instant windowEnd = b.windowStart().plusSeconds(spec.intervalSeconds());
        if (o.now().isBefore(windowEnd)) {
            return new Draft(Planner.availability(o, a)).effect(Effect.NONE, Result.after(Duration.between(o.now(), windowEnd)));
        }
        Traffic counted = o.route().traffic(r.targetColor());
        Verdict failed = judge(counted.minus(b.windowMark()), spec, b.baselineP99Millis(), b.windowStart(), o.now());
        BakeProgress next = b.next(o.now(), counted, failed == null ? null : failed.detail());
        if (next.failures() >= spec.failureLimit()) {
            if (Planner.runsReady(o, r.targetColor().other())) {
                return flipBack(o, r, next, failed);
            }
            String msg = "revision " + r.targetRevision() + " failed its bake (" + failed.limit() + ") but " + r.targetColor().other()
                    + " is not ready to take the traffic back; " + r.targetColor() + " keeps serving";
            ActualState after = a.withRollout(r.withBake(next.pass()))
                    .withEvent(AppEvent.warning(o.now(), Reason.BAKE_FAILED, msg + " (" + failed.detail() + ")"));
            return new Draft(Planner.availability(o, after)).effect(Effect.NONE, Result.NOW);
        }
        Instant bakeEnd = r.phaseStartedAt().plusSeconds(spec.durationSeconds());
        if (!o.now().isBefore(bakeEnd)) {
            String msg = "revision " + r.targetRevision() + " passed its bake: " + next.windows() + " window" + (next.windows() == 1 ? "" : "s")
                    + " of " + spec.intervalSeconds() + "s judged, " + next.failures() + " failed (limit " + spec.failureLimit() + ")";
            ActualState after = a.withRollout(r.withBake(next.pass())).withEvent(AppEvent.normal(o.now(), Reason.BAKE_PASSED, msg));
            return new Draft(Planner.availability(o, after)).effect(Effect.NONE, Result.NOW);
        }
        ActualState after = a.withRollout(r.withBake(next));
        return new Draft(Planner.availability(o, after)).effect(Effect.NONE, Result.after(Duration.ofSeconds(spec.intervalSeconds())));
    }

    /** The route goes back to the old color at once; the new color is stopped in the next pass (Rolling back). */
    private static Draft flipBack(Observation o, Rollout r, BakeProgress progress, Verdict failed) {
        ActualState a = o.actual();
        Color old = r.targetColor().other();
        String msg = "revision " + r.targetRevision() + " failed its bake (" + failed.limit() + ")";
        ActualState after = a.withLive(old)
                .withRollout(r.withBake(progress).enter(RolloutPhase.ROLLING_BACK, o.now()))
                .withCondition(Planner.cond(ConditionType.PROGRESSING, ConditionStatus.FALSE, Reason.ROLLED_BACK, msg, o.now()))
                .withEvent(AppEvent.warning(o.now(), Reason.BAKE_FAILED, msg + ": " + progress.failures() + " of " + progress.windows()
                        + " windows failed, the last " + failed.detail() + "; route switched back to " + old + " (revision "
                        + a.color(old).revision() + ")"));
        Draft d = new Draft(after).effect(new Effect.SwitchRoute(old), Result.NOW);
        d.audit("rollback", "bake", Map.of("revision", Integer.toString(r.targetRevision()), "color", old.wire(), "evidence", failed.detail()));
        return d.signal(Plan.Signal.Kind.ROLLOUT_ENDED, "rolled_back", Reason.BAKE_FAILED.wire());
    }

    /** Rolling back: the route already went back; the failed color's requests in flight drain first, then it stops. */
    static Draft rolledBack(Observation o, Rollout r) {
        ActualState a = o.actual();
        Color target = r.targetColor();
        Instant drained = r.phaseStartedAt().plusSeconds(Math.max(0, o.desired().deployment().spec().route().drainTimeoutSeconds()));
        if (o.now().isBefore(drained)) {
            return new Draft(Planner.availability(o, a)).effect(Effect.NONE, Result.after(Duration.between(o.now(), drained)));
        }
        String msg = "revision " + r.targetRevision() + " stopped in " + target
                + (r.canary() == null ? " after its failed bake" : " after its canary ended");
        ActualState after = a.withRollout(r.enter(RolloutPhase.ABORTED, o.now())).withEvent(AppEvent.normal(o.now(), Reason.ROLLED_BACK, msg));
        return new Draft(after).effect(a.color(target) == null ? Effect.NONE : new Effect.StopColor(target), Result.NOW);
    }

    /** What broke a limit in one window ({@code limit}: e.g. "5xx 3.2 % > 1 %"; {@code detail} adds the window); null if none. */
    record Verdict(String limit, String detail) {}

    static Verdict judge(Traffic w, Strategy.Bake spec, Long baselineP99, Instant from, Instant to) {
        if (w.requests() == 0) {
            return null; // nothing served, nothing to judge
        }
        String window = " in the " + Duration.between(from, to).toSeconds() + "s window from " + from + " (" + w.requests() + " requests)";
        double errors = w.errorPercent();
        if (errors > spec.max5xxPercent()) {
            String limit = "5xx " + String.format(Locale.ROOT, "%.1f", errors) + " % > " + number(spec.max5xxPercent()) + " %";
            return new Verdict(limit, limit + ", " + w.errors5xx() + " answered 5xx" + window);
        }
        Long p99 = w.p99Millis();
        if (baselineP99 != null && p99 != null) {
            long base = Math.max(baselineP99, BASELINE_FLOOR_MILLIS);
            if (p99 > spec.maxP99Ratio() * base) {
                String limit = "p99 " + p99 + " ms > " + number(spec.maxP99Ratio()) + " x " + base + " ms";
                return new Verdict(limit, limit + " of the old color before the switch" + window);
            }
        }
        return null;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static Strategy.Bake spec(Observation o) {
        return o.desired() == null ? null : o.desired().deployment().spec().strategy().blueGreen().bake();
    }
}
