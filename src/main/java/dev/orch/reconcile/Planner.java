package dev.orch.reconcile;

import dev.orch.manifest.DeploymentSpec;
import dev.orch.state.ActualState;
import dev.orch.state.AppEvent;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.Condition;
import dev.orch.state.ConditionStatus;
import dev.orch.state.ConditionType;
import dev.orch.state.Reason;
import dev.orch.state.Rollout;
import dev.orch.state.RolloutPhase;
import dev.orch.systemd.InstanceId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The control loop's brain, a pure function: observation -> {@link Plan}. It owns every decision: the step,
 * the phase persisted before and after its side effect, the conditions and events, availability, drift versus
 * rollout, warmth, the probes that run, and when to look again. No I/O, no clock but {@link Observation#now()}.
 */
public final class Planner {
    /** How often a waiting rollout is looked at again, besides the probe and unit events that wake it. */
    static final Duration POLL = Duration.ofSeconds(1);
    static final Duration BLOCKED_RETRY = Duration.ofSeconds(30);

    private Planner() {}

    public static Plan plan(Observation o) {
        Draft d = decide(o);
        ActualState after = d.after;
        if (after != null && !(d.result instanceof Result.Terminal) && !stalledStill(o)) {
            after = cleared(after, ConditionType.STALLED, Reason.INPUTS_CHANGED, o.now());
        }
        if (after != null) {
            after = cleared(after, ConditionType.DEGRADED, Reason.RECONCILE_SUCCEEDED, o.now());
        }
        if (after != null && d.result instanceof Result.Terminal t) {
            after = after.withCondition(Condition.of(ConditionType.STALLED, ConditionStatus.TRUE, t.reason(), t.message(), o.now()));
        }
        return new Plan(d.effect, d.before, after, d.audits, d.signals, ProbePlan.probes(o, d.effect), d.result);
    }

    private static Draft decide(Observation o) {
        ActualState a = o.actual();
        if (o.desired() == null) {
            if (o.blocked() != null) {
                return waiting(o, a, BLOCKED_RETRY, o.blocked().reason(), o.blocked().message());
            }
            boolean anything = a.blue() != null || a.green() != null || o.route().open() || o.strayUnits() > 0;
            if (!anything) {
                return new Draft(a);
            }
            Draft d = new Draft(null).effect(new Effect.RemoveApp(), Result.DONE);
            return d.audit("delete", "controller", Map.of("units", Integer.toString(o.strayUnits())));
        }
        if (!o.route().open() || !o.route().current()) {
            // adopt after a daemon restart: a live color whose units run keeps its traffic without waiting for probes
            Color adopt = a.live() != null && a.color(a.live()) != null && o.color(a.live()).allActive() ? a.live() : null;
            Rollout r = a.rollout();
            Color preview = r != null && r.inProgress() && a.color(r.targetColor()) != null && r.targetColor() != a.live() ? r.targetColor() : null;
            return new Draft(a).effect(new Effect.OpenRoute(adopt, preview), Result.NOW);
        }
        Rollout r = a.rollout();
        if (r != null && r.inProgress()) {
            return planRollout(o, r);
        }
        return planSteady(o, r);
    }

    private static Draft planRollout(Observation o, Rollout r) {
        ActualState a = o.actual();
        DeploymentSpec spec = o.desired().deployment().spec();
        Color target = r.targetColor();
        ColorObservation c = o.color(target);
        boolean beforeSwitch = r.phase().ordinal() <= RolloutPhase.WAITING_READY.ordinal();
        if (beforeSwitch && o.desiredHash() != null && !o.desiredHash().equals(r.targetHash())) {
            return abort(o, r, Reason.SUPERSEDED, "revision " + r.targetRevision() + " was replaced by a newer desired state");
        }
        if (beforeSwitch && c.revisionMissing()) {
            return stalledOnMissingRevision(o, target);
        }
        Draft repair = a.live() == null ? null : repairLive(o, a.live());
        if (repair != null) {
            return repair; // the color that serves comes first: a rollout can wait up to its deadline
        }
        switch (r.phase()) {
            case PREPARING:
                return new Draft(a.withRollout(r.enter(RolloutPhase.STARTING, o.now()))).effect(new Effect.InstallUnits(target), Result.NOW);
            case STARTING:
                return new Draft(a.withRollout(r.enter(RolloutPhase.WAITING_READY, o.now()))).effect(new Effect.StartUnits(target, true), Result.NOW);
            case WAITING_READY: {
                if (c.allReady() && spec.minReadySeconds() > 0) {
                    // Kubernetes' minReadySeconds: ready without a break for this long before it counts
                    Instant counts = r.readySince() == null ? null : r.readySince().plusSeconds(spec.minReadySeconds());
                    if (counts == null || o.now().isBefore(counts)) {
                        if (r.deadline() != null && !o.now().isBefore(r.deadline())) {
                            return abort(o, r, Reason.PROGRESS_DEADLINE_EXCEEDED, "revision " + r.targetRevision() + " in " + target
                                    + " not ready for minReadySeconds (" + spec.minReadySeconds() + "s) within " + spec.progressDeadlineSeconds() + "s");
                        }
                        ActualState since = r.readySince() == null ? a.withRollout(r.withReadySince(o.now())) : a;
                        Duration left = counts == null ? Duration.ofSeconds(spec.minReadySeconds()) : Duration.between(o.now(), counts);
                        return waiting(o, since, left, Reason.WAITING_FOR_READINESS, "ready, counting minReadySeconds");
                    }
                } else if (!c.allReady() && r.readySince() != null) {
                    return waiting(o, a.withRollout(r.withReadySince(null)), Duration.ZERO, Reason.WAITING_FOR_READINESS, "readiness lost");
                }
                if (c.allReady()) {
                    Draft smoke = SmokePlanner.gate(o, r);
                    if (smoke != null) {
                        return smoke; // sent, or failed: no switch
                    }
                    // as in Argo Rollouts, a first deploy has nothing to compare with and is not held
                    if (!spec.strategy().blueGreen().autoPromote() && !r.promoted() && a.live() != null) {
                        String msg = "revision " + r.targetRevision() + " is ready in " + target + "; run 'orchctl rollout promote " + o.app() + "'";
                        return waiting(o, a.withCondition(cond(ConditionType.PROGRESSING, ConditionStatus.TRUE, Reason.AWAITING_PROMOTION, msg, o.now())),
                                BLOCKED_RETRY, Reason.AWAITING_PROMOTION, msg);
                    }
                    if (CanaryPlanner.spec(o) != null && a.live() != null) {
                        return CanaryPlanner.begin(o, r); // a first deploy has nothing to split with
                    }
                    AppEvent smokePassed = SmokePlanner.passed(o, r);
                    ActualState switching = a.withRollout(r.enter(RolloutPhase.SWITCHING, o.now()));
                    return switchForRollout(o, r, smokePassed == null ? switching : switching.withEvent(smokePassed));
                }
                int crashLimit = spec.strategy().blueGreen().crashLoopRestarts();
                if (crashLimit > 0 && c.crashes().restarts() >= crashLimit) {
                    return abort(o, r, Reason.CRASH_LOOP, crashLoopMessage(r, target, c.crashes(), crashLimit));
                }
                if (r.deadline() != null && !o.now().isBefore(r.deadline())) {
                    return abort(o, r, Reason.PROGRESS_DEADLINE_EXCEEDED, "revision " + r.targetRevision() + " in " + target
                            + " not ready after " + spec.progressDeadlineSeconds() + "s (" + c.ready() + "/" + c.replicas() + " ready"
                            + (c.detail().isEmpty() ? "" : ": " + c.detail()) + ")");
                }
                if (!c.installed()) {
                    return rewrite(o, target, "units of the rollout's color disappeared");
                }
                if (c.stopped() > 0) {
                    return restart(o, target, "units of the rollout's color are not running");
                }
                Duration untilDeadline = r.deadline() == null ? POLL : Duration.between(o.now(), r.deadline());
                return waiting(o, a, min(POLL, untilDeadline), Reason.WAITING_FOR_READINESS,
                        c.ready() + "/" + c.replicas() + " replicas of revision " + r.targetRevision() + " ready in " + target
                                + (c.detail().isEmpty() ? "" : ": " + c.detail()));
            }
            case SWITCHING:
                return switchForRollout(o, r, null);
            case CANARY:
                return CanaryPlanner.during(o, r);
            case DRAINING: {
                Color old = target.other();
                if (isWarm(o, old)) {
                    return warmRollout(o, old);
                }
                Draft bake = BakePlanner.during(o, r);
                if (bake != null) {
                    return bake; // the old color stays warm through the bake
                }
                Instant warmUntil = r.phaseStartedAt().plusSeconds(spec.strategy().blueGreen().keepWarmSeconds());
                boolean newerDesired = o.desiredHash() != null && !o.desiredHash().equals(r.targetHash());
                if (!newerDesired && o.color(old).active() > 0 && o.now().isBefore(warmUntil)) {
                    return waiting(o, a, Duration.between(o.now(), warmUntil), Reason.KEEPING_WARM,
                            old + " keeps running until " + warmUntil + " for an instant 'orchctl switch " + o.app() + "'");
                }
                String msg = "revision " + r.targetRevision() + " is live in " + target;
                ActualState after = a.withRollout(r.enter(RolloutPhase.COMPLETE, o.now()))
                        .withCondition(cond(ConditionType.PROGRESSING, ConditionStatus.TRUE, Reason.NEW_REVISION_AVAILABLE, msg, o.now()))
                        .withEvent(AppEvent.normal(o.now(), Reason.ROLLOUT_COMPLETE, msg + (a.color(old) == null ? "" : "; stopped " + old)));
                Draft d = new Draft(after).effect(a.color(old) == null ? Effect.NONE : new Effect.StopColor(old), newerDesired ? Result.NOW : Result.DONE);
                return d.signal(Plan.Signal.Kind.ROLLOUT_ENDED, "complete", Reason.NEW_REVISION_AVAILABLE.wire());
            }
            case ROLLING_BACK:
                return BakePlanner.rolledBack(o, r);
            default:
                throw new IllegalStateException("not in progress: " + r.phase());
        }
    }

    private static String crashLoopMessage(Rollout r, Color target, ColorObservation.Crashes c, int limit) {
        return "revision " + r.targetRevision() + " in " + target + " crash-loops: " + c.unit() + " restarted " + c.restarts() + " times before it was ready"
                + " (limit " + limit + ")" + (c.lastExit().isEmpty() ? "" : ", last exit: " + c.lastExit())
                + (c.journal().isEmpty() ? "" : "; last journal lines: " + String.join(" | ", c.journal()));
    }

    /** The route flips to the rollout's color; {@code before} is the Switching phase persisted first (null when it already is). */
    private static Draft switchForRollout(Observation o, Rollout r, ActualState before) {
        ActualState a = before == null ? o.actual() : before;
        Rollout switching = a.rollout();
        ColorState cs = a.color(r.targetColor());
        String msg = "route now sends traffic to " + r.targetColor() + " (revision " + cs.revision() + ")";
        ActualState after = a.withLive(r.targetColor())
                .withRollout(switching.enter(RolloutPhase.DRAINING, o.now()).withBake(BakePlanner.start(o, switching)))
                .withCondition(cond(ConditionType.AVAILABLE, ConditionStatus.TRUE, Reason.MINIMUM_REPLICAS_AVAILABLE, msg, o.now()))
                .withEvent(AppEvent.normal(o.now(), Reason.SWITCHED, msg));
        Draft d = new Draft(after).effect(new Effect.SwitchRoute(r.targetColor()), Result.NOW);
        d.before = before;
        return d.audit("switch", "rollout", Map.of("color", r.targetColor().wire(), "revision", Integer.toString(cs.revision())));
    }

    static Draft abort(Observation o, Rollout r, Reason reason, String message) {
        ActualState a = o.actual();
        ActualState after = a.withRollout(r.enter(RolloutPhase.ABORTED, o.now()))
                .withCondition(cond(ConditionType.PROGRESSING, ConditionStatus.FALSE, reason, message, o.now()))
                .withEvent(AppEvent.warning(o.now(), reason, message + "; stopped " + r.targetColor()
                        + (a.live() == null ? "" : ", " + a.live() + " keeps serving")));
        Draft d = new Draft(after).effect(a.color(r.targetColor()) == null ? Effect.NONE : new Effect.StopColor(r.targetColor()), Result.NOW);
        d.audit("abort", "controller", Map.of("revision", Integer.toString(r.targetRevision()), "reason", reason.wire()));
        return d.signal(Plan.Signal.Kind.ROLLOUT_ENDED, "aborted", reason.wire());
    }

    private static Draft planSteady(Observation o, Rollout last) {
        ActualState a = o.actual();
        Color live = a.live();
        ColorState liveState = live == null ? null : a.color(live);
        boolean stalled = stalledStill(o);
        if (o.desiredHash() != null) {
            boolean differs = liveState == null || !o.desiredHash().equals(liveState.revisionHash());
            boolean failedBefore = last != null && last.remembersBad(o.desiredHash());
            if (differs && !failedBefore) {
                Color idle = live == null ? Color.BLUE : live.other();
                if (live != null && isWarm(o, idle)) {
                    return warmRollout(o, idle);
                }
                if (!stalled) {
                    return newRollout(o, idle);
                }
            }
        }
        if (live != null) {
            ColorObservation c = o.color(live);
            if (c.revisionMissing()) {
                return stalledOnMissingRevision(o, live);
            }
            Draft repair = repairLive(o, live);
            if (repair != null) {
                return repair;
            }
            if (o.route().live() != live) {
                if (c.ready() == 0) {
                    return waiting(o, a, POLL, Reason.WAITING_FOR_READINESS, "live color " + live + " not ready yet: " + c.detail());
                }
                ActualState after = a;
                Draft d = new Draft(after).effect(new Effect.SwitchRoute(live), Result.NOW);
                if (o.route().live() != null) {
                    d.after = a.withEvent(AppEvent.warning(o.now(), Reason.ROUTE_CORRECTED, "route pointed at " + o.route().live() + "; moved it to " + live));
                    d.signal(Plan.Signal.Kind.DRIFT_CORRECTED, "route_corrected", Reason.ROUTE_CORRECTED.wire());
                }
                return d;
            }
        }
        if (o.desiredHash() == null && o.blocked() != null) {
            return waiting(o, a, BLOCKED_RETRY, o.blocked().reason(), o.blocked().message());
        }
        // nothing to roll out: this generation has been looked at (rollout status waits for exactly that)
        ActualState seen = o.desired() != null && !stalled && a.observedGeneration() < o.desired().generation()
                ? a.withObservedGeneration(o.desired().generation()) : a;
        Condition progressing = seen.condition(ConditionType.PROGRESSING);
        if (progressing != null && progressing.is(ConditionStatus.FALSE, Reason.ROLLED_BACK) && liveState != null
                && liveState.revisionHash().equals(o.desiredHash())) {
            // undo (or a commit back to what serves): the failed bake is no longer what the app is asked to run
            seen = seen.withCondition(cond(ConditionType.PROGRESSING, ConditionStatus.TRUE, Reason.NEW_REVISION_AVAILABLE,
                    "revision " + liveState.revision() + " is live in " + live, o.now()));
        }
        return new Draft(availability(o, seen)).effect(Effect.NONE, stalled ? stalledResult(a) : Result.DONE);
    }

    /** The live color's units edited, deleted or stopped by hand: put back (null when they are as orch left them). */
    private static Draft repairLive(Observation o, Color live) {
        ColorObservation c = o.color(live);
        if (c.revisionMissing()) {
            return null; // cannot be rendered: the steady state stalls on it
        }
        if (!c.installed() || !c.current()) {
            return rewrite(o, live, c.installed() ? "unit file changed outside orch" : "unit file missing");
        }
        if (c.stopped() > 0) {
            return restart(o, live, "live unit not running");
        }
        return null;
    }

    private static Draft newRollout(Observation o, Color color) {
        var d = o.desired();
        int n = o.nextRevision();
        int replicas = d.deployment().spec().replicas();
        Instant deadline = o.now().plusSeconds(d.deployment().spec().progressDeadlineSeconds());
        List<String> units = ColorServices.ids(o.app(), color, replicas).stream().map(InstanceId::unitName).toList();
        String msg = "rolling out revision " + n + " (" + o.desiredHash() + ") to " + color;
        // the ports are the executor's to pick (they must be free on the host): it fills them in
        ActualState after = o.actual().withColor(color, new ColorState(n, o.desiredHash(), List.of(), units, o.now()))
                .withRollout(new Rollout(RolloutPhase.PREPARING, n, o.desiredHash(), color, o.now(), deadline, false)
                        .withLiveMark(liveMark(o)))
                .withObservedGeneration(d.generation())
                .withCondition(cond(ConditionType.PROGRESSING, ConditionStatus.TRUE, Reason.NEW_REVISION, msg, o.now()))
                .withEvent(AppEvent.normal(o.now(), Reason.ROLLOUT_STARTED, msg));
        Draft draft = new Draft(after).effect(new Effect.PrepareRevision(color, n, o.desiredHash(), replicas), Result.NOW);
        return draft.audit("rollout", d.source().describe(), Map.of("revision", Integer.toString(n), "hash", o.desiredHash(), "color", color.wire()));
    }

    /** Back to a color that still runs the desired revision and is ready: straight to the switch. */
    private static Draft warmRollout(Observation o, Color color) {
        ColorState cs = o.actual().color(color);
        String msg = "switching back to " + color + ", still running revision " + cs.revision() + " (" + o.desiredHash() + ")";
        ActualState after = o.actual().withRollout(new Rollout(RolloutPhase.SWITCHING, cs.revision(), o.desiredHash(), color, o.now(), null, true)
                        .withLiveMark(liveMark(o)))
                .withObservedGeneration(o.desired().generation())
                .withCondition(cond(ConditionType.PROGRESSING, ConditionStatus.TRUE, Reason.WARM_SWITCH, msg, o.now()))
                .withEvent(AppEvent.normal(o.now(), Reason.ROLLOUT_STARTED, msg));
        Draft d = new Draft(after).effect(Effect.NONE, Result.NOW);
        return d.audit("rollout", o.desired().source().describe(),
                Map.of("revision", Integer.toString(cs.revision()), "hash", o.desiredHash(), "color", color.wire(), "warm", "true"));
    }

    /** Units missing or edited by hand: rewritten (a rollout's own install in Preparing is not drift). */
    private static Draft rewrite(Observation o, Color color, String why) {
        ColorObservation c = o.color(color);
        ActualState after = o.actual().withEvent(AppEvent.warning(o.now(), Reason.UNIT_REWRITTEN, why + ": rewrote the unit(s) of " + color
                + " (" + c.replicas() + " replica" + (c.replicas() == 1 ? "" : "s") + ")"));
        Draft d = new Draft(after).effect(new Effect.InstallUnits(color), Result.NOW);
        return d.signal(Plan.Signal.Kind.DRIFT_CORRECTED, "unit_rewritten", Reason.UNIT_REWRITTEN.wire());
    }

    /** Units stopped by hand (or exited for good): started again. */
    private static Draft restart(Observation o, Color color, String why) {
        ActualState after = o.actual().withEvent(AppEvent.warning(o.now(), Reason.UNIT_STARTED, why + ": started " + color));
        Draft d = new Draft(after).effect(new Effect.StartUnits(color, false), Result.NOW);
        return d.signal(Plan.Signal.Kind.DRIFT_CORRECTED, "unit_started", Reason.UNIT_STARTED.wire());
    }

    private static Draft stalledOnMissingRevision(Observation o, Color color) {
        ColorState cs = o.actual().color(color);
        String msg = "revision " + cs.revision() + " of " + o.app() + " (run by " + color + ") is not stored, so its units cannot be written;"
                + " apply the app again or roll out another revision";
        return new Draft(availability(o, o.actual())).effect(Effect.NONE, new Result.Terminal(Reason.REVISION_MISSING, msg));
    }

    /**
     * A terminal failure of the executor (no free port) is not retried until the inputs change: a new generation
     * of desired state clears it.
     */
    private static boolean stalledStill(Observation o) {
        Condition s = o.actual().condition(ConditionType.STALLED);
        return s != null && s.status() == ConditionStatus.TRUE && Reason.NO_FREE_PORT.is(s.reason())
                && o.desired() != null && o.actual().observedGeneration() == o.desired().generation();
    }

    private static Result stalledResult(ActualState a) {
        Condition s = a.condition(ConditionType.STALLED);
        return new Result.Terminal(Reason.NO_FREE_PORT, s.message());
    }

    /** A wait: a condition for blocks (Progressing=False), availability kept up to date while waiting. */
    private static Draft waiting(Observation o, ActualState a, Duration after, Reason reason, String message) {
        ActualState next = reason == Reason.BLOCKED
                ? a.withCondition(cond(ConditionType.PROGRESSING, ConditionStatus.FALSE, Reason.BLOCKED, message, o.now()))
                : a;
        return new Draft(availability(o, next)).effect(Effect.NONE, Result.after(after));
    }

    /** Available follows the live color's readiness, Kubernetes style. */
    static ActualState availability(Observation o, ActualState a) {
        if (a.live() == null) {
            return a;
        }
        ColorObservation c = o.color(a.live());
        String counts = c.ready() + "/" + c.replicas() + " ready in " + a.live();
        return c.allReady()
                ? a.withCondition(cond(ConditionType.AVAILABLE, ConditionStatus.TRUE, Reason.MINIMUM_REPLICAS_AVAILABLE, counts, o.now()))
                : a.withCondition(cond(ConditionType.AVAILABLE, ConditionStatus.FALSE, Reason.MINIMUM_REPLICAS_UNAVAILABLE,
                        counts + (c.detail().isEmpty() ? "" : ": " + c.detail()), o.now()));
    }

    /**
     * The color still runs the desired revision and every replica is ready: switching to it needs no new
     * start. The {@code switch} verb asks the same question.
     */
    public static boolean isWarm(Observation o, Color c) {
        ColorState cs = o.actual().color(c);
        return o.desiredHash() != null && cs != null && o.desiredHash().equals(cs.revisionHash()) && runsReady(o, c);
    }

    /** The color runs its revision, every replica ready, units as orch wrote them: a switch to it is instant. */
    public static boolean runsReady(Observation o, Color c) {
        return o.actual().color(c) != null && o.color(c).allReady() && o.color(c).current();
    }

    private static ActualState cleared(ActualState a, ConditionType type, Reason reason, Instant now) {
        Condition c = a.condition(type);
        return c != null && c.status() == ConditionStatus.TRUE ? a.withCondition(cond(type, ConditionStatus.FALSE, reason, "", now)) : a;
    }

    static Condition cond(ConditionType type, ConditionStatus status, Reason reason, String message, Instant now) {
        return Condition.of(type, status, reason, message, now);
    }

    /** The live color's route counts now, the bake's latency baseline starts here; null without any. */
    private static dev.orch.state.Traffic liveMark(Observation o) {
        var t = o.actual().live() == null ? null : o.route().traffic(o.actual().live());
        return t == null || t.requests() == 0 ? null : t;
    }

    private static Duration min(Duration x, Duration y) {
        Duration m = x.compareTo(y) <= 0 ? x : y;
        return m.isNegative() ? Duration.ZERO : m;
    }
}
