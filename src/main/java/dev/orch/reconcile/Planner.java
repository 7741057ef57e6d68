package dev.orch.reconcile;

import dev.orch.manifest.DeploymentSpec;
import dev.orch.state.ActualState;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.Rollout;
import dev.orch.state.RolloutPhase;
import java.time.Duration;
import java.time.Instant;

/**
 * The control loop's brain, a pure function: (desired, observed) -> the next step. No I/O, no clock but
 * {@link Observation#now()}, so every path (rollout phases, aborts, drift, recovery after a crash) is
 * tested with plain tables.
 */
public final class Planner {
    /** How often a waiting rollout is looked at again, besides the probe and unit events that wake it. */
    static final Duration POLL = Duration.ofSeconds(1);

    private Planner() {}

    public static Step plan(Observation o) {
        ActualState a = o.actual();
        if (o.desired() == null) {
            if (o.blocked() != null) {
                return new Step.Wait(Duration.ofSeconds(30), "Blocked", o.blocked());
            }
            boolean anything = a.blue() != null || a.green() != null || o.route().open() || o.strayUnits() > 0;
            return anything ? new Step.RemoveApp() : new Step.Idle();
        }
        if (!o.route().open() || !o.route().current()) {
            return new Step.OpenRoute();
        }
        Rollout r = a.rollout();
        if (r != null && r.inProgress()) {
            return planRollout(o, r);
        }
        return planSteady(o, r);
    }

    private static Step planRollout(Observation o, Rollout r) {
        DeploymentSpec spec = o.desired().deployment().spec();
        Color target = r.targetColor();
        boolean beforeSwitch = r.phase().ordinal() <= RolloutPhase.WAITING_READY.ordinal();
        if (beforeSwitch && o.desiredHash() != null && !o.desiredHash().equals(r.targetHash())) {
            return new Step.AbortRollout("Superseded", "revision " + r.targetRevision() + " was replaced by a newer desired state");
        }
        switch (r.phase()) {
            case PREPARING:
                return new Step.InstallUnits(target, "rollout of revision " + r.targetRevision());
            case STARTING:
                return new Step.StartUnits(target, "rollout of revision " + r.targetRevision());
            case WAITING_READY: {
                ColorObservation c = o.color(target);
                if (c.allReady()) {
                    // as in Argo Rollouts, a first deploy has nothing to compare with and is not held
                    if (!spec.strategy().blueGreen().autoPromote() && !r.promoted() && o.actual().live() != null) {
                        return new Step.Wait(Duration.ofSeconds(30), "AwaitingPromotion",
                                "revision " + r.targetRevision() + " is ready in " + target + "; run 'orchctl rollout promote " + o.app() + "'");
                    }
                    return new Step.SwitchRoute(target);
                }
                if (r.deadline() != null && !o.now().isBefore(r.deadline())) {
                    return new Step.AbortRollout("ProgressDeadlineExceeded", "revision " + r.targetRevision() + " in " + target
                            + " not ready after " + spec.progressDeadlineSeconds() + "s (" + c.ready() + "/" + c.replicas() + " ready"
                            + (c.detail().isEmpty() ? "" : ": " + c.detail()) + ")");
                }
                if (!c.installed()) {
                    return new Step.InstallUnits(target, "units of the rollout's color disappeared");
                }
                if (c.stopped() > 0) {
                    return new Step.StartUnits(target, "units of the rollout's color are not running");
                }
                Duration untilDeadline = r.deadline() == null ? POLL : Duration.between(o.now(), r.deadline());
                return new Step.Wait(min(POLL, untilDeadline), "WaitingForReadiness",
                        c.ready() + "/" + c.replicas() + " replicas of revision " + r.targetRevision() + " ready in " + target
                                + (c.detail().isEmpty() ? "" : ": " + c.detail()));
            }
            case SWITCHING:
                return new Step.SwitchRoute(target);
            case DRAINING: {
                Color old = target.other();
                if (isWarm(o, old)) {
                    return new Step.StartRollout(old, o.desiredHash(), o.now().plusSeconds(spec.progressDeadlineSeconds()), true);
                }
                Instant warmUntil = r.phaseStartedAt().plusSeconds(spec.strategy().blueGreen().keepWarmSeconds());
                boolean newerDesired = o.desiredHash() != null && !o.desiredHash().equals(r.targetHash());
                if (!newerDesired && o.color(old).active() > 0 && o.now().isBefore(warmUntil)) {
                    return new Step.Wait(Duration.between(o.now(), warmUntil), "KeepingWarm",
                            old + " keeps running until " + warmUntil + " for an instant 'orchctl switch " + o.app() + "'");
                }
                return new Step.FinishRollout();
            }
            default:
                throw new IllegalStateException("not in progress: " + r.phase());
        }
    }

    private static Step planSteady(Observation o, Rollout last) {
        ActualState a = o.actual();
        Color live = a.live();
        ColorState liveState = live == null ? null : a.color(live);
        if (o.desiredHash() != null) {
            boolean differs = liveState == null || !o.desiredHash().equals(liveState.revisionHash());
            boolean failedBefore = last != null && last.phase() == RolloutPhase.ABORTED && o.desiredHash().equals(last.targetHash());
            if (differs && !failedBefore) {
                Color idle = live == null ? Color.BLUE : live.other();
                if (live != null && isWarm(o, idle)) {
                    return new Step.StartRollout(idle, o.desiredHash(), o.now(), true);
                }
                return new Step.StartRollout(idle, o.desiredHash(),
                        o.now().plusSeconds(o.desired().deployment().spec().progressDeadlineSeconds()));
            }
        }
        if (live != null) {
            ColorObservation c = o.color(live);
            if (!c.installed() || !c.current()) {
                return new Step.InstallUnits(live, c.installed() ? "unit file changed outside orch" : "unit file missing");
            }
            if (c.stopped() > 0) {
                return new Step.StartUnits(live, "live unit not running");
            }
            if (o.route().live() != live) {
                if (c.ready() == 0) {
                    return new Step.Wait(POLL, "WaitingForReadiness", "live color " + live + " not ready yet: " + c.detail());
                }
                return new Step.SwitchRoute(live);
            }
        }
        if (o.desiredHash() == null && o.blocked() != null) {
            return new Step.Wait(Duration.ofSeconds(30), "Blocked", o.blocked());
        }
        return new Step.Idle();
    }

    /** The color still runs the desired revision and is ready: switching to it needs no new start. */
    private static boolean isWarm(Observation o, Color c) {
        ColorState cs = o.actual().color(c);
        return o.desiredHash() != null && cs != null && o.desiredHash().equals(cs.revisionHash()) && o.color(c).allReady();
    }

    private static Duration min(Duration x, Duration y) {
        Duration m = x.compareTo(y) <= 0 ? x : y;
        return m.isNegative() ? Duration.ZERO : m;
    }
}
