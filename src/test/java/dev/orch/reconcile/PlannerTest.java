package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.DeploymentSpec;
import dev.orch.manifest.Hardening;
import dev.orch.manifest.ObjectMeta;
import dev.orch.manifest.Protocol;
import dev.orch.manifest.Resources;
import dev.orch.manifest.RouteSpec;
import dev.orch.manifest.Strategy;
import dev.orch.manifest.Template;
import dev.orch.state.ActualState;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.DesiredApp;
import dev.orch.state.Rollout;
import dev.orch.state.RolloutPhase;
import dev.orch.state.Source;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The planner as a table: (desired, observed) -> step, for every phase, abort and recovery path. */
class PlannerTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final Color B = Color.BLUE;
    static final Color G = Color.GREEN;

    static Deployment deployment(boolean autoPromote, int keepWarm) {
        Template t = new Template(List.of("/usr/bin/python3"), List.of("app.py"), List.of(), null, null, "PORT", null,
                null, null, Resources.NONE, Hardening.DEFAULTS, 30);
        RouteSpec route = new RouteSpec(8080, Protocol.HTTP, "0.0.0.0", null, 30);
        DeploymentSpec spec = new DeploymentSpec(1, route, t, new Strategy("BlueGreen", new Strategy.BlueGreen(autoPromote, keepWarm)), 600, 10);
        return new Deployment(Deployment.API_VERSION, Deployment.KIND, new ObjectMeta("web", null, null), spec);
    }

    static final DesiredApp DESIRED = new DesiredApp(deployment(true, 300), Source.APPLY, 2, NOW, NOW);
    static final DesiredApp MANUAL = new DesiredApp(deployment(false, 300), Source.APPLY, 2, NOW, NOW);

    // observations of a color
    static final ColorObservation NONE = ColorObservation.NONE;
    static final ColorObservation READY = new ColorObservation(true, true, 1, 1, 1, 0, "");
    static final ColorObservation STARTING = new ColorObservation(true, true, 1, 1, 0, 0, "GET /healthz: connection refused");
    static final ColorObservation INSTALLED_STOPPED = new ColorObservation(true, true, 1, 0, 0, 1, "inactive");
    static final ColorObservation EDITED = new ColorObservation(true, false, 1, 1, 1, 0, "");
    static final ColorObservation MISSING = new ColorObservation(false, false, 1, 0, 0, 1, "not found");
    static final RouteObservation ROUTE_BLUE = new RouteObservation(true, true, B);
    static final RouteObservation ROUTE_GREEN = new RouteObservation(true, true, G);
    static final RouteObservation ROUTE_NONE = new RouteObservation(true, true, null);
    static final RouteObservation ROUTE_STALE = new RouteObservation(true, false, B);

    static ColorState runs(int rev, String hash) {
        return new ColorState(rev, hash, List.of(20000), List.of("orch-web@blue-0.service"), NOW.minusSeconds(3600));
    }

    static Rollout rollout(RolloutPhase phase, String hash, Color target, Instant since, Instant deadline, boolean promoted) {
        return new Rollout(phase, 2, hash, target, since, deadline, promoted);
    }

    static ActualState liveBlue(String hash) {
        return ActualState.EMPTY.withColor(B, runs(1, hash)).withLive(B);
    }

    static ActualState rollingOut(RolloutPhase phase) {
        return liveBlue("h1").withColor(G, runs(2, "h2")).withRollout(rollout(phase, "h2", G, NOW.minusSeconds(10), NOW.plusSeconds(590), false));
    }

    record Case(String name, Observation o, Predicate<Step> expect, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case when(String name, DesiredApp d, String hash, ActualState a, ColorObservation blue, ColorObservation green,
            RouteObservation route, Predicate<Step> expect, String expected) {
        int stray = d == null && (blue.installed() || green.installed()) ? 1 : 0;
        return new Case(name, new Observation("web", d, hash, null, a, blue, green, route, stray, NOW), expect, expected);
    }

    static Predicate<Step> is(Class<? extends Step> type) {
        return type::isInstance;
    }

    static Predicate<Step> startRollout(Color c) {
        return s -> s instanceof Step.StartRollout sr && sr.color() == c && sr.hash().equals("h2")
                && sr.deadline().equals(NOW.plusSeconds(600));
    }

    static Predicate<Step> install(Color c) {
        return s -> s instanceof Step.InstallUnits iu && iu.color() == c;
    }

    static Predicate<Step> start(Color c) {
        return s -> s instanceof Step.StartUnits su && su.color() == c;
    }

    static Predicate<Step> switchTo(Color c) {
        return s -> s instanceof Step.SwitchRoute sw && sw.color() == c;
    }

    static Predicate<Step> abort(String reason) {
        return s -> s instanceof Step.AbortRollout ab && ab.reason().equals(reason);
    }

    static Predicate<Step> waitFor(String reason) {
        return s -> s instanceof Step.Wait w && w.reason().equals(reason) && !w.after().isNegative();
    }

    static Stream<Arguments> table() {
        ActualState firstPrep = ActualState.EMPTY.withColor(B, runs(1, "h2"))
                .withRollout(rollout(RolloutPhase.PREPARING, "h2", B, NOW, NOW.plusSeconds(600), false));
        ActualState expired = liveBlue("h1").withColor(G, runs(2, "h2"))
                .withRollout(rollout(RolloutPhase.WAITING_READY, "h2", G, NOW.minusSeconds(600), NOW.minusSeconds(1), false));
        ActualState aborted = liveBlue("h1").withRollout(rollout(RolloutPhase.ABORTED, "h2", G, NOW, null, false));
        ActualState complete = liveBlue("h2").withRollout(rollout(RolloutPhase.COMPLETE, "h2", B, NOW, null, false));
        ActualState drainingFresh = ActualState.EMPTY.withColor(B, runs(1, "h1")).withColor(G, runs(2, "h2")).withLive(G)
                .withRollout(rollout(RolloutPhase.DRAINING, "h2", G, NOW.minusSeconds(10), null, false));
        ActualState drainingOld = ActualState.EMPTY.withColor(B, runs(1, "h1")).withColor(G, runs(2, "h2")).withLive(G)
                .withRollout(rollout(RolloutPhase.DRAINING, "h2", G, NOW.minusSeconds(301), null, false));
        ActualState switching = ActualState.EMPTY.withColor(B, runs(1, "h1")).withColor(G, runs(2, "h2")).withLive(B)
                .withRollout(rollout(RolloutPhase.SWITCHING, "h2", G, NOW, null, false));
        ActualState promoted = liveBlue("h1").withColor(G, runs(2, "h2"))
                .withRollout(rollout(RolloutPhase.WAITING_READY, "h2", G, NOW, NOW.plusSeconds(500), true));
        ActualState liveGreen = ActualState.EMPTY.withColor(G, runs(2, "h2")).withLive(G);

        List<Case> cases = List.of(
                // deletion
                when("deleted app with units is removed", null, null, liveBlue("h1"), READY, NONE, ROUTE_BLUE, is(Step.RemoveApp.class), "RemoveApp"),
                when("deleted app with only an open route is removed", null, null, ActualState.EMPTY, NONE, NONE, ROUTE_NONE, is(Step.RemoveApp.class), "RemoveApp"),
                when("orch-marked units of an unknown app are removed", null, null, ActualState.EMPTY, INSTALLED_STOPPED, NONE, RouteObservation.CLOSED, is(Step.RemoveApp.class), "RemoveApp"),
                when("unknown app with nothing left is idle", null, null, ActualState.EMPTY, NONE, NONE, RouteObservation.CLOSED, is(Step.Idle.class), "Idle"),
                // route first
                when("new app opens its route first", DESIRED, "h2", ActualState.EMPTY, NONE, NONE, RouteObservation.CLOSED, is(Step.OpenRoute.class), "OpenRoute"),
                when("changed route spec re-opens the route", DESIRED, "h1", liveBlue("h1"), READY, NONE, ROUTE_STALE, is(Step.OpenRoute.class), "OpenRoute"),
                when("route closed after a daemon restart is re-opened", DESIRED, "h1", liveBlue("h1"), READY, NONE, RouteObservation.CLOSED, is(Step.OpenRoute.class), "OpenRoute"),
                // starting rollouts
                when("first deploy starts a rollout to blue", DESIRED, "h2", ActualState.EMPTY, NONE, NONE, ROUTE_NONE, startRollout(B), "StartRollout(blue)"),
                when("new revision goes to the idle color (green)", DESIRED, "h2", liveBlue("h1"), READY, NONE, ROUTE_BLUE, startRollout(G), "StartRollout(green)"),
                when("new revision with green live goes to blue", DESIRED, "h2b", liveGreen, NONE, READY, ROUTE_GREEN,
                        s -> s instanceof Step.StartRollout sr && sr.color() == B, "StartRollout(blue)"),
                when("a completed rollout of the same hash is steady", DESIRED, "h2", complete, READY, NONE, ROUTE_BLUE, is(Step.Idle.class), "Idle"),
                when("an aborted revision is not retried until desired changes", DESIRED, "h2", aborted, READY, NONE, ROUTE_BLUE, is(Step.Idle.class), "Idle"),
                when("a newer revision after an abort starts a rollout", DESIRED, "h3", aborted, READY, NONE, ROUTE_BLUE,
                        s -> s instanceof Step.StartRollout sr && sr.hash().equals("h3") && sr.color() == G, "StartRollout(green, h3)"),
                // rollout phases
                when("preparing installs the target's units", DESIRED, "h2", rollingOut(RolloutPhase.PREPARING), READY, NONE, ROUTE_BLUE, install(G), "InstallUnits(green)"),
                when("first deploy preparing installs blue", DESIRED, "h2", firstPrep, NONE, NONE, ROUTE_NONE, install(B), "InstallUnits(blue)"),
                when("starting starts the target's units", DESIRED, "h2", rollingOut(RolloutPhase.STARTING), READY, INSTALLED_STOPPED, ROUTE_BLUE, start(G), "StartUnits(green)"),
                when("waiting while not ready polls", DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY), READY, STARTING, ROUTE_BLUE,
                        waitFor("WaitingForReadiness").and(s -> ((Step.Wait) s).after().compareTo(Duration.ofSeconds(1)) <= 0), "Wait(WaitingForReadiness, <=1s)"),
                when("stopped target units while waiting are started (e.g. after a daemon restart)", DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY), READY, INSTALLED_STOPPED, ROUTE_BLUE, start(G), "StartUnits(green)"),
                when("a crash-looping target is left to systemd's restarts", DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY), READY,
                        new ColorObservation(true, true, 1, 0, 0, 0, "activating/auto-restart"), ROUTE_BLUE, waitFor("WaitingForReadiness"), "Wait(WaitingForReadiness)"),
                when("ready target is switched to", DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY), READY, READY, ROUTE_BLUE, switchTo(G), "SwitchRoute(green)"),
                when("manual promotion waits when ready", MANUAL, "h2", rollingOut(RolloutPhase.WAITING_READY), READY, READY, ROUTE_BLUE, waitFor("AwaitingPromotion"), "Wait(AwaitingPromotion)"),
                when("manual promotion does not hold a first deploy", MANUAL, "h2", ActualState.EMPTY.withColor(B, runs(1, "h2"))
                        .withRollout(rollout(RolloutPhase.WAITING_READY, "h2", B, NOW, NOW.plusSeconds(500), false)), READY, NONE, ROUTE_NONE, switchTo(B), "SwitchRoute(blue)"),
                when("manual promotion switches once promoted", MANUAL, "h2", promoted, READY, READY, ROUTE_BLUE, switchTo(G), "SwitchRoute(green)"),
                when("units vanished while waiting are reinstalled", DESIRED, "h2", rollingOut(RolloutPhase.WAITING_READY), READY, MISSING, ROUTE_BLUE, install(G), "InstallUnits(green)"),
                when("switching (resumed after a crash) switches again", DESIRED, "h2", switching, READY, READY, ROUTE_BLUE, switchTo(G), "SwitchRoute(green)"),
                when("draining keeps the old color warm", DESIRED, "h2", drainingFresh, READY, READY, ROUTE_GREEN,
                        waitFor("KeepingWarm").and(s -> ((Step.Wait) s).after().equals(Duration.ofSeconds(290))), "Wait(KeepingWarm, 290s)"),
                when("draining ends after keep-warm", DESIRED, "h2", drainingOld, READY, READY, ROUTE_GREEN, is(Step.FinishRollout.class), "FinishRollout"),
                when("draining ends at once when the old color is already down", DESIRED, "h2", drainingFresh, INSTALLED_STOPPED, READY, ROUTE_GREEN, is(Step.FinishRollout.class), "FinishRollout"),
                // instant switch back to a warm color
                when("desired back to the warm old color while draining switches at once", DESIRED, "h1", drainingFresh, READY, READY, ROUTE_GREEN,
                        s -> s instanceof Step.StartRollout sr && sr.warm() && sr.color() == B, "StartRollout(blue, warm)"),
                when("desired back to the old color after keep-warm (stopped) is a full rollout", DESIRED, "h1",
                        ActualState.EMPTY.withColor(B, runs(1, "h1")).withColor(G, runs(2, "h2")).withLive(G), INSTALLED_STOPPED, READY, ROUTE_GREEN,
                        s -> s instanceof Step.StartRollout sr && !sr.warm() && sr.color() == B, "StartRollout(blue, cold)"),
                when("desired equal to a warm idle color in steady state switches at once", DESIRED, "h1",
                        ActualState.EMPTY.withColor(B, runs(1, "h1")).withColor(G, runs(2, "h2")).withLive(G), READY, READY, ROUTE_GREEN,
                        s -> s instanceof Step.StartRollout sr && sr.warm() && sr.color() == B, "StartRollout(blue, warm)"),
                // aborts
                when("deadline passed aborts", DESIRED, "h2", expired, READY, STARTING, ROUTE_BLUE, abort("ProgressDeadlineExceeded"), "AbortRollout(ProgressDeadlineExceeded)"),
                when("deadline passed with a crash-looping unit aborts", DESIRED, "h2", expired, READY, new ColorObservation(true, true, 1, 0, 0, 0, "activating/auto-restart, 5 restarts"), ROUTE_BLUE,
                        abort("ProgressDeadlineExceeded").and(s -> ((Step.AbortRollout) s).message().contains("5 restarts")), "AbortRollout(ProgressDeadlineExceeded, with detail)"),
                when("ready just at the deadline still switches", DESIRED, "h2", expired, READY, READY, ROUTE_BLUE, switchTo(G), "SwitchRoute(green)"),
                when("a newer desired state supersedes a rollout before the switch", DESIRED, "h3", rollingOut(RolloutPhase.WAITING_READY), READY, STARTING, ROUTE_BLUE,
                        abort("Superseded"), "AbortRollout(Superseded)"),
                when("a newer desired state lets a draining rollout finish first", DESIRED, "h3", drainingOld, READY, READY, ROUTE_GREEN, is(Step.FinishRollout.class), "FinishRollout"),
                when("a newer desired state ends keep-warm early (its color is needed)", DESIRED, "h3", drainingFresh, READY, READY, ROUTE_GREEN, is(Step.FinishRollout.class), "FinishRollout"),
                // drift and recovery
                when("hand-edited live unit is rewritten", DESIRED, "h1", liveBlue("h1"), EDITED, NONE, ROUTE_BLUE, install(B), "InstallUnits(blue)"),
                when("deleted live unit is reinstalled", DESIRED, "h1", liveBlue("h1"), MISSING, NONE, ROUTE_BLUE, install(B), "InstallUnits(blue)"),
                when("live unit stopped by hand is started", DESIRED, "h1", liveBlue("h1"), INSTALLED_STOPPED, NONE, ROUTE_BLUE, start(B), "StartUnits(blue)"),
                when("route pointing nowhere after a restart goes to the ready live color", DESIRED, "h1", liveBlue("h1"), READY, NONE, ROUTE_NONE, switchTo(B), "SwitchRoute(blue)"),
                when("route is not pointed at a live color that is not ready", DESIRED, "h1", liveBlue("h1"), STARTING, NONE, ROUTE_NONE, waitFor("WaitingForReadiness"), "Wait(WaitingForReadiness)"),
                when("route pointing at the wrong color is corrected", DESIRED, "h1", liveBlue("h1"), READY, READY, ROUTE_GREEN, switchTo(B), "SwitchRoute(blue)"),
                when("a crash-looping live unit is not started again by orch", DESIRED, "h1", liveBlue("h1"),
                        new ColorObservation(true, true, 1, 0, 0, 0, "activating/auto-restart"), NONE, ROUTE_BLUE, s -> !(s instanceof Step.StartUnits), "not StartUnits"),
                when("converged app is idle", DESIRED, "h1", liveBlue("h1"), READY, NONE, ROUTE_BLUE, is(Step.Idle.class), "Idle"),
                when("a healthy live color is never restarted because orchd restarted", DESIRED, "h1", liveBlue("h1"), READY, NONE, ROUTE_BLUE,
                        s -> !(s instanceof Step.StartUnits) && !(s instanceof Step.InstallUnits), "no unit action"),
                when("missing artifact blocks a new rollout but keeps serving", DESIRED, null, liveBlue("h1"), READY, NONE, ROUTE_BLUE, is(Step.Idle.class), "Idle"));
        return cases.stream().map(c -> Arguments.of(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void plansTheNextStep(Case c) {
        Step step = Planner.plan(c.o());
        assertThat(c.expect().test(step)).as("%s: expected %s, got %s", c.name(), c.expected(), step).isTrue();
    }

    @ParameterizedTest(name = "blocked: {0}")
    @MethodSource("blockedCases")
    void reportsWhyItIsBlocked(String name, ActualState a) {
        Observation o = new Observation("web", DESIRED, null, "artifact /srv/web.jar: no such file", a, READY, NONE, ROUTE_BLUE, 0, NOW);
        Step s = Planner.plan(o);
        assertThat(s).isInstanceOf(Step.Wait.class);
        assertThat(((Step.Wait) s).reason()).isEqualTo("Blocked");
        assertThat(((Step.Wait) s).message()).contains("no such file");
    }

    @org.junit.jupiter.api.Test
    void anUnreadableDesiredStateNeverPrunesTheApp() {
        Observation o = new Observation("web", null, null, "desired.json was unreadable and moved aside", liveBlue("h1"), READY, NONE, ROUTE_BLUE, 1, NOW);
        assertThat(Planner.plan(o)).isInstanceOf(Step.Wait.class);
    }

    static Stream<Arguments> blockedCases() {
        return Stream.of(Arguments.of("first deploy", ActualState.EMPTY.withLive(null)), Arguments.of("live app", liveBlue("h1")));
    }
}
