package dev.orch.reconcile;

import static org.assertj.core.api.SoftAssertions.assertSoftly;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.DeploymentSpec;
import dev.orch.manifest.Hardening;
import dev.orch.manifest.ObjectMeta;
import dev.orch.manifest.Probe;
import dev.orch.manifest.Protocol;
import dev.orch.manifest.Resources;
import dev.orch.manifest.RouteSpec;
import dev.orch.manifest.Strategy;
import dev.orch.manifest.Template;
import dev.orch.probe.ProbeWorker;
import dev.orch.state.ActualState;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.Condition;
import dev.orch.state.ConditionStatus;
import dev.orch.state.ConditionType;
import dev.orch.state.DesiredApp;
import dev.orch.state.Reason;
import dev.orch.state.Revision;
import dev.orch.state.Rollout;
import dev.orch.state.RolloutPhase;
import dev.orch.state.Source;
import dev.orch.systemd.InstanceId;
import dev.orch.systemd.ServiceSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The planner as a table: observation -> plan. Each row states exactly what the plan holds:
 *
 * <ul>
 *   <li>the effect and the result (record equality, Terminal with its reason and message);
 *   <li>the rollout phase persisted before the effect and after it, as {@code "before -> after"}: {@code -} before
 *       means no write before the effect, {@code -} after means no rollout, {@code archived} that the state is
 *       archived (no after);
 *   <li>the conditions of {@code after} that are new or changed against the observation's actual state
 *       ({@code Type=Status/Reason}, sorted by type) and the events appended ({@code Type Reason});
 *   <li>the audit entries ({@code action by cause {details}}), the metric signals ({@code KIND result/reason})
 *       and the probes that should run ({@code app/color/replica KIND :port}); empty unless the row says so;
 *   <li>for some rows a condition's or event's exact message, and the observed generation after.
 * </ul>
 */
class PlannerTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final Color B = Color.BLUE;
    static final Color G = Color.GREEN;

    // ---- desired state

    static final Template PLAIN = template(null, null);

    static Template template(Probe readiness, Probe liveness) {
        return new Template(List.of("/usr/bin/python3"), List.of("app.py"), List.of(), null, null, "PORT", null,
                readiness, liveness, Resources.NONE, Hardening.DEFAULTS, 30);
    }

    static Deployment deployment(boolean autoPromote, int keepWarm, Template t, int replicas) {
        RouteSpec route = new RouteSpec(8080, Protocol.HTTP, "0.0.0.0", null, 30);
        DeploymentSpec spec = new DeploymentSpec(replicas, route, t, new Strategy("BlueGreen", new Strategy.BlueGreen(autoPromote, keepWarm)), 600, 10);
        return new Deployment(Deployment.API_VERSION, Deployment.KIND, new ObjectMeta("web", null, null), spec);
    }

    static DesiredApp generation(long g) {
        return new DesiredApp(deployment(true, 300, PLAIN, 1), Source.APPLY, g, NOW, NOW);
    }

    static final DesiredApp DESIRED = generation(2);
    static final DesiredApp MANUAL = new DesiredApp(deployment(false, 300, PLAIN, 1), Source.APPLY, 2, NOW, NOW);
    static final DesiredApp FROM_GIT = new DesiredApp(deployment(true, 300, PLAIN, 1),
            Source.git("https://git.example/ops.git", "main@sha1:0123abc", "apps/web.yaml"), 2, NOW, NOW);

    // ---- what a color looks like (counts only: no stored revision, so no probes)

    static final ColorObservation NONE = ColorObservation.NONE;
    static final ColorObservation READY = new ColorObservation(true, true, 1, 1, 1, 0, "");
    static final ColorObservation STARTING = new ColorObservation(true, true, 1, 1, 0, 0, "GET /healthz: connection refused");
    static final ColorObservation INSTALLED_STOPPED = new ColorObservation(true, true, 1, 0, 0, 1, "inactive");
    static final ColorObservation CRASHLOOP = new ColorObservation(true, true, 1, 0, 0, 0, "activating/auto-restart");
    static final ColorObservation EDITED = new ColorObservation(true, false, 1, 1, 1, 0, "");
    static final ColorObservation MISSING = new ColorObservation(false, false, 1, 0, 0, 1, "not found");

    /** A color whose revision is not stored: what the Observer reports for it. */
    static ColorObservation revisionGone(ColorState cs) {
        return new ColorObservation(false, false, 1, 0, 0, 1, "revision " + cs.revision() + " is not stored", cs, null, List.of(), List.of());
    }

    static final RouteObservation ROUTE_BLUE = new RouteObservation(true, true, B);
    static final RouteObservation ROUTE_GREEN = new RouteObservation(true, true, G);
    static final RouteObservation ROUTE_NONE = new RouteObservation(true, true, null);
    static final RouteObservation ROUTE_STALE = new RouteObservation(true, false, B);
    static final RouteObservation CLOSED = RouteObservation.CLOSED;

    // ---- actual state

    static ColorState blue(int rev, String hash) {
        return new ColorState(rev, hash, List.of(20001), List.of("orch-web-blue-0.service"), NOW.minusSeconds(3600));
    }

    static ColorState green(int rev, String hash) {
        return new ColorState(rev, hash, List.of(20002), List.of("orch-web-green-0.service"), NOW.minusSeconds(3600));
    }

    static Rollout rollout(RolloutPhase phase, int rev, String hash, Color target, Instant since, Instant deadline) {
        return new Rollout(phase, rev, hash, target, since, deadline, false);
    }

    static ActualState liveBlue(String hash) {
        return ActualState.EMPTY.withColor(B, blue(1, hash)).withLive(B);
    }

    static ActualState rollingOut(RolloutPhase phase) {
        return liveBlue("h1").withColor(G, green(2, "h2")).withRollout(rollout(phase, 2, "h2", G, NOW.minusSeconds(10), NOW.plusSeconds(590)));
    }

    static ActualState stalled(ActualState a, String message) {
        return a.withObservedGeneration(2).withCondition(cond(ConditionType.STALLED, ConditionStatus.TRUE, Reason.NO_FREE_PORT, message));
    }

    static Condition cond(ConditionType t, ConditionStatus s, Reason r, String message) {
        return Condition.of(t, s, r, message, NOW.minusSeconds(60));
    }

    static final String NO_PORT = "no free port left in the range 20001-20001 (set orch.ports.range to a larger range)";
    static final String NO_SUCH_FILE = "artifact /srv/web.jar: no such file";
    static final String UNREADABLE = "desired.json was unreadable and moved aside (see the log); apply the app again, or delete it";

    // ---- observations

    /** The observation the Observer would build, without pending inbox changes; {@code nextRevision} as the store would number it. */
    static Observation obs(DesiredApp d, String hash, ActualState a, ColorObservation blue, ColorObservation green, RouteObservation route) {
        int stray = d == null && (blue.installed() || green.installed()) ? 1 : 0;
        return new Observation("web", d, hash, null, a, a, blue, green, route, stray, nextRevision(a), NOW, null);
    }

    static Observation blocked(Observation o, String message) {
        return new Observation(o.app(), o.desired(), o.desiredHash(), new Observation.Blocked(Reason.BLOCKED, message), o.stored(), o.actual(),
                o.blue(), o.green(), o.route(), o.strayUnits(), o.nextRevision(), o.now(), null);
    }

    static int nextRevision(ActualState a) {
        int max = 0;
        for (ColorState cs : new ColorState[] {a.blue(), a.green()}) {
            max = cs == null ? max : Math.max(max, cs.revision());
        }
        return 1 + Math.max(max, a.rollout() == null ? 0 : a.rollout().targetRevision());
    }

    // ---- rows

    record Row(String name, Observation o, Effect effect, Result result, String phases, List<String> conditions, List<String> events,
            List<String> audits, List<String> signals, List<String> probes, Map<String, String> messages, Long generation) {
        Row audits(String... a) {
            return new Row(name, o, effect, result, phases, conditions, events, List.of(a), signals, probes, messages, generation);
        }

        Row signals(String... s) {
            return new Row(name, o, effect, result, phases, conditions, events, audits, List.of(s), probes, messages, generation);
        }

        Row probes(String... p) {
            return new Row(name, o, effect, result, phases, conditions, events, audits, signals, List.of(p), messages, generation);
        }

        /** The exact message of a condition ({@code Progressing}) or of the appended event with that reason ({@code event Switched}). */
        Row message(String of, String text) {
            Map<String, String> m = new LinkedHashMap<>(messages);
            m.put(of, text);
            return new Row(name, o, effect, result, phases, conditions, events, audits, signals, probes, m, generation);
        }

        Row generation(long g) {
            return new Row(name, o, effect, result, phases, conditions, events, audits, signals, probes, messages, g);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Row row(String name, Observation o, Effect effect, Result result, String phases, List<String> conditions, List<String> events) {
        return new Row(name, o, effect, result, phases, conditions, events, List.of(), List.of(), List.of(), Map.of(), null);
    }

    static List<String> conds(String... c) {
        return List.of(c);
    }

    static List<String> events(String... e) {
        return List.of(e);
    }

    static final List<String> NO = List.of();

    static Result after(long seconds) {
        return new Result.RequeueAfter(Duration.ofSeconds(seconds));
    }

    static Stream<Row> table() {
        ActualState firstPrep = ActualState.EMPTY.withColor(B, blue(1, "h2"))
                .withRollout(rollout(RolloutPhase.PREPARING, 1, "h2", B, NOW, NOW.plusSeconds(600)));
        ActualState firstWaiting = ActualState.EMPTY.withColor(B, blue(1, "h2"))
                .withRollout(rollout(RolloutPhase.WAITING_READY, 1, "h2", B, NOW, NOW.plusSeconds(500)));
        ActualState expired = liveBlue("h1").withColor(G, green(2, "h2"))
                .withRollout(rollout(RolloutPhase.WAITING_READY, 2, "h2", G, NOW.minusSeconds(600), NOW.minusSeconds(1)));
        ActualState aborted = liveBlue("h1").withRollout(rollout(RolloutPhase.ABORTED, 2, "h2", G, NOW, null));
        ActualState complete = liveBlue("h2").withRollout(rollout(RolloutPhase.COMPLETE, 1, "h2", B, NOW, null));
        ActualState drainingFresh = ActualState.EMPTY.withColor(B, blue(1, "h1")).withColor(G, green(2, "h2")).withLive(G)
                .withRollout(rollout(RolloutPhase.DRAINING, 2, "h2", G, NOW.minusSeconds(10), null));
        ActualState drainingOld = ActualState.EMPTY.withColor(B, blue(1, "h1")).withColor(G, green(2, "h2")).withLive(G)
                .withRollout(rollout(RolloutPhase.DRAINING, 2, "h2", G, NOW.minusSeconds(301), null));
        ActualState switching = ActualState.EMPTY.withColor(B, blue(1, "h1")).withColor(G, green(2, "h2")).withLive(B)
                .withRollout(rollout(RolloutPhase.SWITCHING, 2, "h2", G, NOW, null));
        ActualState promoted = liveBlue("h1").withColor(G, green(2, "h2"))
                .withRollout(rollout(RolloutPhase.WAITING_READY, 2, "h2", G, NOW, NOW.plusSeconds(500)).promote());
        ActualState liveGreen = ActualState.EMPTY.withColor(G, green(2, "h2")).withLive(G);
        ActualState greenLiveBlueIdle = ActualState.EMPTY.withColor(B, blue(1, "h1")).withColor(G, green(2, "h2")).withLive(G);
        ActualState degraded = liveBlue("h1").withCondition(cond(ConditionType.DEGRADED, ConditionStatus.TRUE, Reason.RECONCILE_ERROR, "boom"));

        String startedGreen = "Progressing=True/NewRevision";
        String availableTrue = "Available=True/MinimumReplicasAvailable";
        String availableFalse = "Available=False/MinimumReplicasUnavailable";
        String switchGreen = "switch by rollout {color=green, revision=2}";
        String complete2 = "ROLLOUT_ENDED complete/NewRevisionAvailable";

        return Stream.of(
                // ---- deletion
                row("deleted app with units is removed", obs(null, null, liveBlue("h1"), READY, NONE, ROUTE_BLUE),
                        new Effect.RemoveApp(), Result.DONE, "- -> archived", NO, NO)
                        .audits("delete by controller {units=1}"),
                row("deleted app with only an open route is removed", obs(null, null, ActualState.EMPTY, NONE, NONE, ROUTE_NONE),
                        new Effect.RemoveApp(), Result.DONE, "- -> archived", NO, NO)
                        .audits("delete by controller {units=0}"),
                row("orch-marked units of an unknown app are removed", obs(null, null, ActualState.EMPTY, INSTALLED_STOPPED, NONE, CLOSED),
                        new Effect.RemoveApp(), Result.DONE, "- -> archived", NO, NO)
                        .audits("delete by controller {units=1}"),
                row("unknown app with nothing left is idle", obs(null, null, ActualState.EMPTY, NONE, NONE, CLOSED),
                        Effect.NONE, Result.DONE, "- -> -", NO, NO),
                row("a deleted app's probes all stop", obs(null, null, liveBlue("h1"), withProbes(B, 1, 1), NONE, ROUTE_BLUE),
                        new Effect.RemoveApp(), Result.DONE, "- -> archived", NO, NO)
                        .audits("delete by controller {units=1}"),
                row("unreadable desired state never prunes: blocked, keeps serving",
                        blocked(new Observation("web", null, null, null, liveBlue("h1"), liveBlue("h1"), READY, NONE, ROUTE_BLUE, 1, 0, NOW, null), UNREADABLE),
                        Effect.NONE, after(30), "- -> -", conds(availableTrue, "Progressing=False/Blocked"), NO)
                        .message("Progressing", UNREADABLE),

                // ---- the route first
                row("new app opens its route first", obs(DESIRED, "h2", ActualState.EMPTY, NONE, NONE, CLOSED),
                        new Effect.OpenRoute(null, null), Result.NOW, "- -> -", NO, NO),
                row("changed route spec re-opens the route, adopting the live color", obs(DESIRED, "h1", liveBlue("h1"), READY, NONE, ROUTE_STALE),
                        new Effect.OpenRoute(B, null), Result.NOW, "- -> -", NO, NO),
                row("route closed after a daemon restart is re-opened on the running live color", obs(DESIRED, "h1", liveBlue("h1"), READY, NONE, CLOSED),
                        new Effect.OpenRoute(B, null), Result.NOW, "- -> -", NO, NO),
                row("re-opened route does not adopt a live color whose units are down", obs(DESIRED, "h1", liveBlue("h1"), INSTALLED_STOPPED, NONE, CLOSED),
                        new Effect.OpenRoute(null, null), Result.NOW, "- -> -", NO, NO),
                row("re-opened route mid-rollout previews the rollout's color", obs(DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY), READY, STARTING, CLOSED),
                        new Effect.OpenRoute(B, G), Result.NOW, "- -> WaitingReady", NO, NO),

                // ---- starting rollouts
                row("first deploy starts a rollout to blue", obs(DESIRED, "h2", ActualState.EMPTY, NONE, NONE, ROUTE_NONE),
                        new Effect.PrepareRevision(B, 1, "h2", 1), Result.NOW, "- -> Preparing", conds(startedGreen), events("Normal RolloutStarted"))
                        .audits("rollout by apply {color=blue, hash=h2, revision=1}")
                        .message("Progressing", "rolling out revision 1 (h2) to blue").generation(2),
                row("new revision goes to the idle color (green)", obs(DESIRED, "h2", liveBlue("h1"), READY, NONE, ROUTE_BLUE),
                        new Effect.PrepareRevision(G, 2, "h2", 1), Result.NOW, "- -> Preparing", conds(startedGreen), events("Normal RolloutStarted"))
                        .audits("rollout by apply {color=green, hash=h2, revision=2}")
                        .message("event RolloutStarted", "rolling out revision 2 (h2) to green").generation(2),
                row("new revision with green live goes to blue", obs(DESIRED, "h2b", liveGreen, NONE, READY, ROUTE_GREEN),
                        new Effect.PrepareRevision(B, 3, "h2b", 1), Result.NOW, "- -> Preparing", conds(startedGreen), events("Normal RolloutStarted"))
                        .audits("rollout by apply {color=blue, hash=h2b, revision=3}"),
                row("a rollout from git names the commit in the audit log", obs(FROM_GIT, "h2", liveBlue("h1"), READY, NONE, ROUTE_BLUE),
                        new Effect.PrepareRevision(G, 2, "h2", 1), Result.NOW, "- -> Preparing", conds(startedGreen), events("Normal RolloutStarted"))
                        .audits("rollout by git https://git.example/ops.git main@sha1:0123abc apps/web.yaml {color=green, hash=h2, revision=2}"),
                row("a completed rollout of the same hash is steady", obs(DESIRED, "h2", complete, READY, NONE, ROUTE_BLUE),
                        Effect.NONE, Result.DONE, "- -> Complete", conds(availableTrue), NO)
                        .message("Available", "1/1 ready in blue"),
                row("a new generation equal to what runs is steady and observed", obs(generation(3), "h2", complete.withObservedGeneration(2), READY, NONE, ROUTE_BLUE),
                        Effect.NONE, Result.DONE, "- -> Complete", conds(availableTrue), NO)
                        .generation(3),
                row("an aborted revision is not retried until desired changes", obs(DESIRED, "h2", aborted, READY, NONE, ROUTE_BLUE),
                        Effect.NONE, Result.DONE, "- -> Aborted", conds(availableTrue), NO),
                row("a newer revision after an abort starts a rollout", obs(DESIRED, "h3", aborted, READY, NONE, ROUTE_BLUE),
                        new Effect.PrepareRevision(G, 3, "h3", 1), Result.NOW, "- -> Preparing", conds(startedGreen), events("Normal RolloutStarted"))
                        .audits("rollout by apply {color=green, hash=h3, revision=3}"),

                // ---- each rollout phase
                row("preparing installs the target's units", obs(DESIRED, "h2", rollingOut(RolloutPhase.PREPARING), READY, NONE, ROUTE_BLUE),
                        new Effect.InstallUnits(G), Result.NOW, "- -> Starting", NO, NO),
                row("first deploy preparing installs blue", obs(DESIRED, "h2", firstPrep, NONE, NONE, ROUTE_NONE),
                        new Effect.InstallUnits(B), Result.NOW, "- -> Starting", NO, NO),
                row("starting starts the target's units with the preview", obs(DESIRED, "h2", rollingOut(RolloutPhase.STARTING), READY, INSTALLED_STOPPED, ROUTE_BLUE),
                        new Effect.StartUnits(G, true), Result.NOW, "- -> WaitingReady", NO, NO),
                row("waiting while not ready polls every second", obs(DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY), READY, STARTING, ROUTE_BLUE),
                        Effect.NONE, after(1), "- -> WaitingReady", conds(availableTrue), NO),
                row("waiting polls no later than the deadline", obs(DESIRED, "h2", liveBlue("h1").withColor(G, green(2, "h2"))
                                .withRollout(rollout(RolloutPhase.WAITING_READY, 2, "h2", G, NOW.minusSeconds(600), NOW.plusMillis(300))), READY, STARTING, ROUTE_BLUE),
                        Effect.NONE, new Result.RequeueAfter(Duration.ofMillis(300)), "- -> WaitingReady", conds(availableTrue), NO),
                row("stopped target units while waiting are started (e.g. after a daemon restart)",
                        obs(DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY), READY, INSTALLED_STOPPED, ROUTE_BLUE),
                        new Effect.StartUnits(G, false), Result.NOW, "- -> WaitingReady", NO, events("Warning UnitStarted"))
                        .signals("DRIFT_CORRECTED unit_started/UnitStarted")
                        .message("event UnitStarted", "units of the rollout's color are not running: started green"),
                row("a crash-looping target is left to systemd's restarts", obs(DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY), READY, CRASHLOOP, ROUTE_BLUE),
                        Effect.NONE, after(1), "- -> WaitingReady", conds(availableTrue), NO),
                row("a target restarted fewer times than crashLoopRestarts waits", obs(DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY), READY,
                                crashing(4, List.of()), ROUTE_BLUE),
                        Effect.NONE, after(1), "- -> WaitingReady", conds(availableTrue), NO),
                row("crashLoopRestarts restarts abort as CrashLoop at once, with the last exit and journal lines",
                        obs(DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY), READY, crashing(5, List.of("starting", "boom: no config")), ROUTE_BLUE),
                        new Effect.StopColor(G), Result.NOW, "- -> Aborted", conds("Progressing=False/CrashLoop"), events("Warning CrashLoop"))
                        .audits("abort by controller {reason=CrashLoop, revision=2}")
                        .signals("ROLLOUT_ENDED aborted/CrashLoop")
                        .message("Progressing", "revision 2 in green crash-loops: orch-web-green-0.service restarted 5 times before it was ready (limit 5),"
                                + " last exit: exited with status 3; last journal lines: starting | boom: no config"),
                row("crashLoopRestarts 0 leaves a crash loop to the deadline", obs(new DesiredApp(crashLimit(0), Source.APPLY, 2, NOW, NOW), "h2",
                                rollingOut(RolloutPhase.WAITING_READY), READY, crashing(50, List.of()), ROUTE_BLUE),
                        Effect.NONE, after(1), "- -> WaitingReady", conds(availableTrue), NO),
                row("ready target is switched to, Switching persisted first", obs(DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY), READY, READY, ROUTE_BLUE),
                        new Effect.SwitchRoute(G), Result.NOW, "Switching -> Draining", conds(availableTrue), events("Normal Switched"))
                        .audits(switchGreen)
                        .message("event Switched", "route now sends traffic to green (revision 2)"),
                row("manual promotion waits when ready", obs(MANUAL, "h2", rollingOut(RolloutPhase.WAITING_READY), READY, READY, ROUTE_BLUE),
                        Effect.NONE, after(30), "- -> WaitingReady", conds(availableTrue, "Progressing=True/AwaitingPromotion"), NO)
                        .message("Progressing", "revision 2 is ready in green; run 'orchctl rollout promote web'"),
                row("manual promotion does not hold a first deploy", obs(MANUAL, "h2", firstWaiting, READY, NONE, ROUTE_NONE),
                        new Effect.SwitchRoute(B), Result.NOW, "Switching -> Draining", conds(availableTrue), events("Normal Switched"))
                        .audits("switch by rollout {color=blue, revision=1}"),
                row("manual promotion switches once promoted", obs(MANUAL, "h2", promoted, READY, READY, ROUTE_BLUE),
                        new Effect.SwitchRoute(G), Result.NOW, "Switching -> Draining", conds(availableTrue), events("Normal Switched"))
                        .audits(switchGreen),
                row("units vanished while waiting are reinstalled", obs(DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY), READY, MISSING, ROUTE_BLUE),
                        new Effect.InstallUnits(G), Result.NOW, "- -> WaitingReady", NO, events("Warning UnitRewritten"))
                        .signals("DRIFT_CORRECTED unit_rewritten/UnitRewritten")
                        .message("event UnitRewritten", "units of the rollout's color disappeared: rewrote the unit(s) of green (1 replica)"),
                row("switching (resumed after a crash) switches again, nothing persisted first", obs(DESIRED, "h2", switching, READY, READY, ROUTE_BLUE),
                        new Effect.SwitchRoute(G), Result.NOW, "- -> Draining", conds(availableTrue), events("Normal Switched"))
                        .audits(switchGreen),
                row("draining keeps the old color warm", obs(DESIRED, "h2", drainingFresh, READY, READY, ROUTE_GREEN),
                        Effect.NONE, after(290), "- -> Draining", conds(availableTrue), NO),
                row("draining ends after keep-warm", obs(DESIRED, "h2", drainingOld, READY, READY, ROUTE_GREEN),
                        new Effect.StopColor(B), Result.DONE, "- -> Complete", conds("Progressing=True/NewRevisionAvailable"), events("Normal RolloutComplete"))
                        .signals(complete2)
                        .message("event RolloutComplete", "revision 2 is live in green; stopped blue"),
                row("draining ends at once when the old color is already down", obs(DESIRED, "h2", drainingFresh, INSTALLED_STOPPED, READY, ROUTE_GREEN),
                        new Effect.StopColor(B), Result.DONE, "- -> Complete", conds("Progressing=True/NewRevisionAvailable"), events("Normal RolloutComplete"))
                        .signals(complete2),
                row("draining with no old color completes without a stop", obs(DESIRED, "h2", liveGreen.withRollout(rollout(RolloutPhase.DRAINING, 2, "h2", G, NOW, null)),
                                NONE, READY, ROUTE_GREEN),
                        Effect.NONE, Result.DONE, "- -> Complete", conds("Progressing=True/NewRevisionAvailable"), events("Normal RolloutComplete"))
                        .signals(complete2)
                        .message("event RolloutComplete", "revision 2 is live in green"),

                // ---- instant switch back to a warm color
                row("desired back to the warm old color while draining switches at once", obs(DESIRED, "h1", drainingFresh, READY, READY, ROUTE_GREEN),
                        Effect.NONE, Result.NOW, "- -> Switching", conds("Progressing=True/WarmSwitch"), events("Normal RolloutStarted"))
                        .audits("rollout by apply {color=blue, hash=h1, revision=1, warm=true}")
                        .message("Progressing", "switching back to blue, still running revision 1 (h1)").generation(2),
                row("desired back to the old color after keep-warm (stopped) is a full rollout", obs(DESIRED, "h1", greenLiveBlueIdle, INSTALLED_STOPPED, READY, ROUTE_GREEN),
                        new Effect.PrepareRevision(B, 3, "h1", 1), Result.NOW, "- -> Preparing", conds(startedGreen), events("Normal RolloutStarted"))
                        .audits("rollout by apply {color=blue, hash=h1, revision=3}"),
                row("desired equal to a warm idle color in steady state switches at once", obs(DESIRED, "h1", greenLiveBlueIdle, READY, READY, ROUTE_GREEN),
                        Effect.NONE, Result.NOW, "- -> Switching", conds("Progressing=True/WarmSwitch"), events("Normal RolloutStarted"))
                        .audits("rollout by apply {color=blue, hash=h1, revision=1, warm=true}"),
                row("a hand-edited idle color is not warm: full rollout", obs(DESIRED, "h1", greenLiveBlueIdle, EDITED, READY, ROUTE_GREEN),
                        new Effect.PrepareRevision(B, 3, "h1", 1), Result.NOW, "- -> Preparing", conds(startedGreen), events("Normal RolloutStarted"))
                        .audits("rollout by apply {color=blue, hash=h1, revision=3}"),

                // ---- aborts
                row("deadline passed aborts", obs(DESIRED, "h2", expired, READY, STARTING, ROUTE_BLUE),
                        new Effect.StopColor(G), Result.NOW, "- -> Aborted", conds("Progressing=False/ProgressDeadlineExceeded"), events("Warning ProgressDeadlineExceeded"))
                        .audits("abort by controller {reason=ProgressDeadlineExceeded, revision=2}")
                        .signals("ROLLOUT_ENDED aborted/ProgressDeadlineExceeded")
                        .message("Progressing", "revision 2 in green not ready after 600s (0/1 ready: GET /healthz: connection refused)")
                        .message("event ProgressDeadlineExceeded",
                                "revision 2 in green not ready after 600s (0/1 ready: GET /healthz: connection refused); stopped green, blue keeps serving"),
                row("deadline passed with a crash-looping unit aborts, naming the restarts", obs(DESIRED, "h2", expired, READY,
                                new ColorObservation(true, true, 1, 0, 0, 0, "activating/auto-restart, 5 restarts"), ROUTE_BLUE),
                        new Effect.StopColor(G), Result.NOW, "- -> Aborted", conds("Progressing=False/ProgressDeadlineExceeded"), events("Warning ProgressDeadlineExceeded"))
                        .audits("abort by controller {reason=ProgressDeadlineExceeded, revision=2}")
                        .signals("ROLLOUT_ENDED aborted/ProgressDeadlineExceeded")
                        .message("Progressing", "revision 2 in green not ready after 600s (0/1 ready: activating/auto-restart, 5 restarts)"),
                row("a first deploy past its deadline aborts with nothing serving", obs(DESIRED, "h2", ActualState.EMPTY.withColor(B, blue(1, "h2"))
                                .withRollout(rollout(RolloutPhase.WAITING_READY, 1, "h2", B, NOW.minusSeconds(600), NOW)), STARTING, NONE, ROUTE_NONE),
                        new Effect.StopColor(B), Result.NOW, "- -> Aborted", conds("Progressing=False/ProgressDeadlineExceeded"), events("Warning ProgressDeadlineExceeded"))
                        .audits("abort by controller {reason=ProgressDeadlineExceeded, revision=1}")
                        .signals("ROLLOUT_ENDED aborted/ProgressDeadlineExceeded")
                        .message("event ProgressDeadlineExceeded",
                                "revision 1 in blue not ready after 600s (0/1 ready: GET /healthz: connection refused); stopped blue"),
                row("ready just at the deadline still switches", obs(DESIRED, "h2", expired, READY, READY, ROUTE_BLUE),
                        new Effect.SwitchRoute(G), Result.NOW, "Switching -> Draining", conds(availableTrue), events("Normal Switched"))
                        .audits(switchGreen),
                row("a newer desired state supersedes a rollout before the switch", obs(DESIRED, "h3", rollingOut(RolloutPhase.WAITING_READY), READY, STARTING, ROUTE_BLUE),
                        new Effect.StopColor(G), Result.NOW, "- -> Aborted", conds("Progressing=False/Superseded"), events("Warning Superseded"))
                        .audits("abort by controller {reason=Superseded, revision=2}")
                        .signals("ROLLOUT_ENDED aborted/Superseded")
                        .message("Progressing", "revision 2 was replaced by a newer desired state"),
                row("a newer desired state supersedes a rollout still preparing", obs(DESIRED, "h3", rollingOut(RolloutPhase.PREPARING), READY, NONE, ROUTE_BLUE),
                        new Effect.StopColor(G), Result.NOW, "- -> Aborted", conds("Progressing=False/Superseded"), events("Warning Superseded"))
                        .audits("abort by controller {reason=Superseded, revision=2}")
                        .signals("ROLLOUT_ENDED aborted/Superseded"),
                row("a newer desired state lets a draining rollout finish first, then looks again at once", obs(DESIRED, "h3", drainingOld, READY, READY, ROUTE_GREEN),
                        new Effect.StopColor(B), Result.NOW, "- -> Complete", conds("Progressing=True/NewRevisionAvailable"), events("Normal RolloutComplete"))
                        .signals(complete2),
                row("a newer desired state ends keep-warm early (its color is needed)", obs(DESIRED, "h3", drainingFresh, READY, READY, ROUTE_GREEN),
                        new Effect.StopColor(B), Result.NOW, "- -> Complete", conds("Progressing=True/NewRevisionAvailable"), events("Normal RolloutComplete"))
                        .signals(complete2),

                // ---- drift and recovery
                row("hand-edited live unit is rewritten", obs(DESIRED, "h1", liveBlue("h1"), EDITED, NONE, ROUTE_BLUE),
                        new Effect.InstallUnits(B), Result.NOW, "- -> -", NO, events("Warning UnitRewritten"))
                        .signals("DRIFT_CORRECTED unit_rewritten/UnitRewritten")
                        .message("event UnitRewritten", "unit file changed outside orch: rewrote the unit(s) of blue (1 replica)"),
                row("deleted live unit is reinstalled", obs(DESIRED, "h1", liveBlue("h1"), MISSING, NONE, ROUTE_BLUE),
                        new Effect.InstallUnits(B), Result.NOW, "- -> -", NO, events("Warning UnitRewritten"))
                        .signals("DRIFT_CORRECTED unit_rewritten/UnitRewritten")
                        .message("event UnitRewritten", "unit file missing: rewrote the unit(s) of blue (1 replica)"),
                row("live unit stopped by hand is started", obs(DESIRED, "h1", liveBlue("h1"), INSTALLED_STOPPED, NONE, ROUTE_BLUE),
                        new Effect.StartUnits(B, false), Result.NOW, "- -> -", NO, events("Warning UnitStarted"))
                        .signals("DRIFT_CORRECTED unit_started/UnitStarted")
                        .message("event UnitStarted", "live unit not running: started blue"),
                row("route pointing nowhere after a restart goes to the ready live color", obs(DESIRED, "h1", liveBlue("h1"), READY, NONE, ROUTE_NONE),
                        new Effect.SwitchRoute(B), Result.NOW, "- -> -", NO, NO),
                row("route is not pointed at a live color that is not ready", obs(DESIRED, "h1", liveBlue("h1"), STARTING, NONE, ROUTE_NONE),
                        Effect.NONE, after(1), "- -> -", conds(availableFalse), NO)
                        .message("Available", "0/1 ready in blue: GET /healthz: connection refused"),
                row("route pointing at the wrong color is corrected", obs(DESIRED, "h1", liveBlue("h1"), READY, READY, ROUTE_GREEN),
                        new Effect.SwitchRoute(B), Result.NOW, "- -> -", NO, events("Warning RouteCorrected"))
                        .signals("DRIFT_CORRECTED route_corrected/RouteCorrected")
                        .message("event RouteCorrected", "route pointed at green; moved it to blue"),
                row("a crash-looping live unit is not started again by orch: unavailable, nothing done",
                        obs(DESIRED, "h1", liveBlue("h1"), CRASHLOOP, NONE, ROUTE_BLUE),
                        Effect.NONE, Result.DONE, "- -> -", conds(availableFalse), NO)
                        .message("Available", "0/1 ready in blue: activating/auto-restart"),
                row("converged app is idle", obs(DESIRED, "h1", liveBlue("h1"), READY, NONE, ROUTE_BLUE),
                        Effect.NONE, Result.DONE, "- -> -", conds(availableTrue), NO),
                row("a healthy live color is never restarted because orchd restarted: already available, no change",
                        obs(DESIRED, "h1", liveBlue("h1").withCondition(cond(ConditionType.AVAILABLE, ConditionStatus.TRUE, Reason.MINIMUM_REPLICAS_AVAILABLE,
                                "1/1 ready in blue")), READY, NONE, ROUTE_BLUE),
                        Effect.NONE, Result.DONE, "- -> -", NO, NO),

                // ---- blocked (the artifact is missing)
                row("missing artifact blocks a new rollout but keeps serving", blocked(obs(DESIRED, null, liveBlue("h1"), READY, NONE, ROUTE_BLUE), NO_SUCH_FILE),
                        Effect.NONE, after(30), "- -> -", conds(availableTrue, "Progressing=False/Blocked"), NO)
                        .message("Progressing", NO_SUCH_FILE),
                row("missing artifact blocks a first deploy", blocked(obs(DESIRED, null, ActualState.EMPTY, NONE, NONE, ROUTE_NONE), NO_SUCH_FILE),
                        Effect.NONE, after(30), "- -> -", conds("Progressing=False/Blocked"), NO)
                        .message("Progressing", NO_SUCH_FILE),
                row("missing artifact does not stop live-color drift repair", blocked(obs(DESIRED, null, liveBlue("h1"), INSTALLED_STOPPED, NONE, ROUTE_BLUE), NO_SUCH_FILE),
                        new Effect.StartUnits(B, false), Result.NOW, "- -> -", NO, events("Warning UnitStarted"))
                        .signals("DRIFT_CORRECTED unit_started/UnitStarted"),

                // ---- revision not stored: terminal
                row("live color's revision not stored: Stalled, nothing rendered", obs(DESIRED, "h1", liveBlue("h1"), revisionGone(blue(1, "h1")), NONE, ROUTE_BLUE),
                        Effect.NONE, new Result.Terminal(Reason.REVISION_MISSING, "revision 1 of web (run by blue) is not stored, so its units cannot be written;"
                                + " apply the app again or roll out another revision"),
                        "- -> -", conds(availableFalse, "Stalled=True/RevisionMissing"), NO)
                        .message("Available", "0/1 ready in blue: revision 1 is not stored")
                        .message("Stalled", "revision 1 of web (run by blue) is not stored, so its units cannot be written;"
                                + " apply the app again or roll out another revision"),
                row("rollout target's revision not stored: Stalled before its units are written",
                        obs(DESIRED, "h2", rollingOut(RolloutPhase.PREPARING), READY, revisionGone(green(2, "h2")), ROUTE_BLUE),
                        Effect.NONE, new Result.Terminal(Reason.REVISION_MISSING, "revision 2 of web (run by green) is not stored, so its units cannot be written;"
                                + " apply the app again or roll out another revision"),
                        "- -> Preparing", conds(availableTrue, "Stalled=True/RevisionMissing"), NO),

                // ---- no free port: terminal until the inputs change
                row("Stalled NoFreePort at the desired generation: no new rollout", obs(DESIRED, "h2", stalled(liveBlue("h1"), NO_PORT), READY, NONE, ROUTE_BLUE),
                        Effect.NONE, new Result.Terminal(Reason.NO_FREE_PORT, NO_PORT), "- -> -", conds(availableTrue), NO)
                        .message("Stalled", NO_PORT).generation(2),
                row("a new generation clears NoFreePort and starts the rollout", obs(generation(3), "h2", stalled(liveBlue("h1"), NO_PORT), READY, NONE, ROUTE_BLUE),
                        new Effect.PrepareRevision(G, 2, "h2", 1), Result.NOW, "- -> Preparing", conds(startedGreen, "Stalled=False/InputsChanged"),
                        events("Normal RolloutStarted"))
                        .audits("rollout by apply {color=green, hash=h2, revision=2}")
                        .message("Stalled", "").generation(3),
                row("Stalled NoFreePort: re-opening the route (daemon restart) keeps it, the inputs did not change",
                        obs(DESIRED, "h2", stalled(liveBlue("h1"), NO_PORT), READY, NONE, CLOSED),
                        new Effect.OpenRoute(B, null), Result.NOW, "- -> -", NO, NO),
                row("Stalled NoFreePort: a live unit stopped by hand is still started again", obs(DESIRED, "h2", stalled(liveBlue("h1"), NO_PORT), INSTALLED_STOPPED, NONE, ROUTE_BLUE),
                        new Effect.StartUnits(B, false), Result.NOW, "- -> -", NO, events("Warning UnitStarted"))
                        .signals("DRIFT_CORRECTED unit_started/UnitStarted"),

                // ---- Degraded is cleared by a pass that plans
                row("Degraded=True is cleared by a successful plan", obs(DESIRED, "h1", degraded, READY, NONE, ROUTE_BLUE),
                        Effect.NONE, Result.DONE, "- -> -", conds(availableTrue, "Degraded=False/ReconcileSucceeded"), NO),
                row("Degraded=True is cleared by a plan with an effect", obs(DESIRED, "h2", degraded, READY, NONE, ROUTE_BLUE),
                        new Effect.PrepareRevision(G, 2, "h2", 1), Result.NOW, "- -> Preparing", conds("Degraded=False/ReconcileSucceeded", startedGreen),
                        events("Normal RolloutStarted"))
                        .audits("rollout by apply {color=green, hash=h2, revision=2}"),
                row("Degraded=True is cleared by a terminal plan too", obs(DESIRED, "h1", degraded, revisionGone(blue(1, "h1")), NONE, ROUTE_BLUE),
                        Effect.NONE, new Result.Terminal(Reason.REVISION_MISSING, "revision 1 of web (run by blue) is not stored, so its units cannot be written;"
                                + " apply the app again or roll out another revision"),
                        "- -> -", conds(availableFalse, "Degraded=False/ReconcileSucceeded", "Stalled=True/RevisionMissing"), NO),

                // ---- probes: readiness and liveness, for running replicas only
                row("probes watch every running replica of both colors, and only those",
                        obs(DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY), restarting(withProbes(B, 2, 1)), withProbes(G, 2, 2), ROUTE_BLUE),
                        Effect.NONE, after(1), "- -> WaitingReady", conds(availableFalse), NO)
                        .probes("web/blue/0 READINESS :20001", "web/blue/0 LIVENESS :20001", "web/green/0 READINESS :20003",
                                "web/green/0 LIVENESS :20003", "web/green/1 READINESS :20004", "web/green/1 LIVENESS :20004"),
                row("during a rollout the live unit stopped by hand is started again first", obs(DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY),
                                INSTALLED_STOPPED, STARTING, ROUTE_BLUE),
                        new Effect.StartUnits(B, false), Result.NOW, "- -> WaitingReady", NO, events("Warning UnitStarted"))
                        .signals("DRIFT_CORRECTED unit_started/UnitStarted")
                        .message("event UnitStarted", "live unit not running: started blue"),
                row("during a rollout the live unit edited by hand is rewritten first", obs(DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY),
                                EDITED, STARTING, ROUTE_BLUE),
                        new Effect.InstallUnits(B), Result.NOW, "- -> WaitingReady", NO, events("Warning UnitRewritten"))
                        .signals("DRIFT_CORRECTED unit_rewritten/UnitRewritten"),
                row("no probes without running replicas", obs(DESIRED, "h1", liveBlue("h1"), withProbes(B, 1, 0), NONE, ROUTE_BLUE),
                        new Effect.StartUnits(B, false), Result.NOW, "- -> -", NO, events("Warning UnitStarted"))
                        .signals("DRIFT_CORRECTED unit_started/UnitStarted"),
                row("an aborted color's probes are not kept", obs(DESIRED, "h2", expired, withProbes(B, 1, 1), withProbes(G, 1, 1), ROUTE_BLUE),
                        new Effect.StopColor(G), Result.NOW, "- -> Aborted", conds("Progressing=False/ProgressDeadlineExceeded"), events("Warning ProgressDeadlineExceeded"))
                        .audits("abort by controller {reason=ProgressDeadlineExceeded, revision=2}")
                        .signals("ROLLOUT_ENDED aborted/ProgressDeadlineExceeded")
                        .probes("web/blue/0 READINESS :20001", "web/blue/0 LIVENESS :20001"),
                row("the drained color's probes are not kept", obs(DESIRED, "h2", drainingOld, withProbes(B, 1, 1), withProbes(G, 1, 1), ROUTE_GREEN),
                        new Effect.StopColor(B), Result.DONE, "- -> Complete", conds("Progressing=True/NewRevisionAvailable"), events("Normal RolloutComplete"))
                        .signals(complete2)
                        .probes("web/green/0 READINESS :20003", "web/green/0 LIVENESS :20003"),
                row("a readiness-only template gets no liveness watch", obs(DESIRED, "h1", liveBlue("h1"), withReadinessOnly(), NONE, ROUTE_BLUE),
                        Effect.NONE, Result.DONE, "- -> -", conds(availableTrue), NO)
                        .probes("web/blue/0 READINESS :20001"));
    }

    static final Probe HEALTHZ = new Probe(new Probe.HttpGetAction("/healthz", null, null, "HTTP", null), null, null, 0, 10, 1, 1, 3);
    static final Probe ALIVE = new Probe(null, new Probe.TcpSocketAction(null, null), null, 0, 10, 1, 1, 3);

    /**
     * A color with a stored revision whose template has both probes: {@code replicas} replicas, the first {@code running}
     * of them running (and, with a readiness probe that has not passed, not ready). Blue's ports start at 20001, green's at 20003.
     */
    static ColorObservation withProbes(Color c, int replicas, int running) {
        return observed(c, replicas, running, template(HEALTHZ, ALIVE), running);
    }

    /** The replicas that do not run are being restarted by systemd (not stopped): nothing for orch to start. */
    static ColorObservation restarting(ColorObservation c) {
        return new ColorObservation(c.installed(), c.current(), c.replicas(), c.active(), c.ready(), 0, "activating/auto-restart",
                c.state(), c.revision(), c.specs(), c.running());
    }

    static ColorObservation withReadinessOnly() {
        ColorObservation o = observed(B, 1, 1, template(HEALTHZ, null), 1);
        return new ColorObservation(true, true, 1, 1, 1, 0, "", o.state(), o.revision(), o.specs(), o.running());
    }

    private static ColorObservation observed(Color c, int replicas, int running, Template t, int active) {
        int first = c == B ? 20001 : 20003;
        int rev = c == B ? 1 : 2;
        String hash = c == B ? "h1" : "h2";
        List<Integer> ports = new ArrayList<>();
        List<ServiceSpec> specs = new ArrayList<>();
        List<InstanceId> up = new ArrayList<>();
        Revision revision = new Revision(rev, hash, deployment(true, 300, t, replicas), Source.APPLY, NOW);
        for (int i = 0; i < replicas; i++) {
            InstanceId id = new InstanceId("web", c, i);
            ports.add(first + i);
            specs.add(new ServiceSpec(id, hash, "apply", first + i, t, null));
            if (i < running) {
                up.add(id);
            }
        }
        ColorState cs = new ColorState(rev, hash, ports, specs.stream().map(s -> s.id().unitName()).toList(), NOW);
        return new ColorObservation(true, true, replicas, active, 0, replicas - running, running < replicas ? "inactive" : "not probed yet",
                cs, revision, specs, up);
    }

    /** A target systemd restarted {@code restarts} times (exit status 3 each time), with those journal lines. */
    static ColorObservation crashing(int restarts, List<String> journal) {
        return new ColorObservation(true, true, 1, 0, 0, 0, "activating/auto-restart", null, null, List.of(), List.of(),
                new ColorObservation.Crashes("orch-web-green-0.service", restarts, "exited with status 3", journal));
    }

    static Deployment crashLimit(int restarts) {
        Deployment d = deployment(true, 300, PLAIN, 1);
        DeploymentSpec s = d.spec();
        return new Deployment(d.apiVersion(), d.kind(), d.metadata(), new DeploymentSpec(s.replicas(), s.route(), s.template(),
                new Strategy("BlueGreen", new Strategy.BlueGreen(true, 300, Strategy.Bake.DEFAULT, restarts)), s.progressDeadlineSeconds(),
                s.revisionHistoryLimit()));
    }

    // ---- the check

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void plansExactly(Row r) {
        Plan p = Planner.plan(r.o());
        ActualState actual = r.o().actual();
        assertSoftly(s -> {
            s.assertThat(p.effect()).as("effect").isEqualTo(r.effect());
            s.assertThat(p.result()).as("result").isEqualTo(r.result());
            s.assertThat(phase(p.before(), "-") + " -> " + (p.after() == null ? "archived" : phase(p.after(), "-"))).as("phases").isEqualTo(r.phases());
            s.assertThat(conditionChanges(actual, p.after())).as("conditions new or changed").isEqualTo(r.conditions());
            s.assertThat(eventsAppended(actual, p.after()).stream().map(e -> e.type() + " " + e.reason()).toList()).as("events").isEqualTo(r.events());
            s.assertThat(p.audits().stream().map(a -> a.action() + " by " + a.cause() + " " + new TreeMap<>(a.details())).toList()).as("audits")
                    .isEqualTo(r.audits());
            s.assertThat(p.signals().stream().map(g -> g.kind() + " " + g.result() + "/" + g.reason()).toList()).as("signals").isEqualTo(r.signals());
            s.assertThat(p.probes().stream().map(w -> Fakes.slot(w.id()) + " " + w.kind() + " :" + w.port()).toList()).as("probes").isEqualTo(r.probes());
            r.messages().forEach((of, text) -> s.assertThat(message(actual, p.after(), of)).as("message of " + of).isEqualTo(text));
            if (r.generation() != null) {
                s.assertThat(p.after().observedGeneration()).as("observed generation").isEqualTo(r.generation());
            }
            if (p.before() != null) {
                s.assertThat(p.before().rollout().phase()).as("a before write is the crash-resume point of a switch").isEqualTo(RolloutPhase.SWITCHING);
                s.assertThat(p.before().live()).as("before: the route has not moved yet").isEqualTo(actual.live());
            }
        });
    }

    /** The probe watches carry the template's probe itself, the replica's port and the port variable. */
    @org.junit.jupiter.api.Test
    void probeWatchesCarryTheTemplatesProbes() {
        Plan p = Planner.plan(obs(DESIRED, "h1", liveBlue("h1"), withProbes(B, 1, 1), NONE, ROUTE_BLUE));
        InstanceId id = new InstanceId("web", B, 0);
        org.assertj.core.api.Assertions.assertThat(p.probes()).containsExactly(
                new ProbeWatch(id, ProbeWorker.Kind.READINESS, HEALTHZ, 20001, "PORT"),
                new ProbeWatch(id, ProbeWorker.Kind.LIVENESS, ALIVE, 20001, "PORT"));
    }

    static String phase(ActualState a, String none) {
        return a == null || a.rollout() == null ? none : a.rollout().phase().wire();
    }

    /** Conditions of {@code after} that are new, or differ in status, reason or message, as {@code Type=Status/Reason}, by type. */
    static List<String> conditionChanges(ActualState before, ActualState after) {
        if (after == null) {
            return List.of();
        }
        return after.conditions().stream()
                .filter(c -> {
                    Condition old = before.condition(c.type());
                    return old == null || old.status() != c.status() || !Objects.equals(old.reason(), c.reason()) || !Objects.equals(old.message(), c.message());
                })
                .sorted(Comparator.comparing(Condition::type))
                .map(c -> c.type() + "=" + c.status() + "/" + c.reason())
                .toList();
    }

    static List<dev.orch.state.AppEvent> eventsAppended(ActualState before, ActualState after) {
        if (after == null) {
            return List.of();
        }
        org.assertj.core.api.Assertions.assertThat(after.events().subList(0, before.events().size())).as("earlier events kept").isEqualTo(before.events());
        return after.events().subList(before.events().size(), after.events().size());
    }

    static String message(ActualState before, ActualState after, String of) {
        if (of.startsWith("event ")) {
            String reason = of.substring("event ".length());
            return eventsAppended(before, after).stream().filter(e -> e.reason().equals(reason)).map(dev.orch.state.AppEvent::message)
                    .findFirst().orElse("<no " + of + ">");
        }
        Condition c = after.condition(of);
        return c == null ? "<no " + of + ">" : c.message();
    }
}
