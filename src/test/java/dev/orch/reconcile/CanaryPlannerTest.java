package dev.orch.reconcile;

import static dev.orch.reconcile.BakePlannerTest.events;
import static dev.orch.reconcile.BakePlannerTest.plus;
import static dev.orch.reconcile.BakePlannerTest.traffic;
import static dev.orch.reconcile.PlannerTest.B;
import static dev.orch.reconcile.PlannerTest.G;
import static dev.orch.reconcile.PlannerTest.NOW;
import static dev.orch.reconcile.PlannerTest.READY;
import static dev.orch.reconcile.PlannerTest.blue;
import static dev.orch.reconcile.PlannerTest.green;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.DeploymentSpec;
import dev.orch.manifest.Strategy;
import dev.orch.state.ActualState;
import dev.orch.state.BakeProgress;
import dev.orch.state.CanaryProgress;
import dev.orch.state.CanaryProgress.Request;
import dev.orch.state.ConditionStatus;
import dev.orch.state.ConditionType;
import dev.orch.state.DesiredApp;
import dev.orch.state.Reason;
import dev.orch.state.Rollout;
import dev.orch.state.RolloutPhase;
import dev.orch.state.Source;
import dev.orch.state.Traffic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The canary, transition by transition (the planner is pure: observation -> plan). */
class CanaryPlannerTest {
    /** setWeight 10, pause until promoted, setWeight 50, pause 60 s; judged every 10 s, 2 failed windows abort. */
    static final List<Strategy.Step> STEPS = List.of(Strategy.Step.weight(10), Strategy.Step.pauseFor(null), Strategy.Step.weight(50),
            Strategy.Step.pauseFor(60));
    static final Strategy.Analysis ANALYSIS = new Strategy.Analysis(true, 10, 1, 2, 2);
    static final DesiredApp DESIRED = desired(ANALYSIS);
    static final Traffic GREEN_MARK = traffic(10, 0, 5);
    static final Traffic BLUE_MARK = traffic(500, 0, 20);

    static DesiredApp desired(Strategy.Analysis analysis) {
        Deployment base = PlannerTest.deployment(true, 300, PlannerTest.PLAIN, 1);
        DeploymentSpec s = base.spec();
        DeploymentSpec spec = new DeploymentSpec(s.replicas(), s.route(), s.template(), Strategy.canary(new Strategy.Canary(STEPS, analysis)),
                s.progressDeadlineSeconds(), s.revisionHistoryLimit());
        return new DesiredApp(new Deployment(base.apiVersion(), base.kind(), base.metadata(), spec), Source.APPLY, 2, NOW, NOW);
    }

    static CanaryProgress at(int step, Instant since, int weight, Request request) {
        return new CanaryProgress(step, 4, since, weight, new BakeProgress(NOW.minusSeconds(5), GREEN_MARK, null, 0, 0, null, false), BLUE_MARK,
                request);
    }

    /** Blue (revision 1) live, green (revision 2) the canary. */
    static ActualState canary(CanaryProgress p) {
        return ActualState.EMPTY.withColor(B, blue(1, "h1")).withColor(G, green(2, "h2")).withLive(B)
                .withRollout(new Rollout(RolloutPhase.CANARY, 2, "h2", G, NOW.minusSeconds(30), NOW.plusSeconds(570), false).withCanary(p));
    }

    static Observation obs(String hash, ActualState a, int routeWeight, Traffic blueTraffic, Traffic greenTraffic) {
        RouteObservation route = new RouteObservation(true, true, a.live(), blueTraffic, greenTraffic, routeWeight);
        return new Observation("web", DESIRED, hash, null, a, a, READY, READY, route, 0, 3, NOW, null);
    }

    static Observation obs(ActualState a, int routeWeight) {
        return obs("h2", a, routeWeight, BLUE_MARK, GREEN_MARK);
    }

    @Test
    void aReadyNewColorStartsTheCanaryAtWeightZeroInsteadOfSwitching() {
        ActualState waiting = ActualState.EMPTY.withColor(B, blue(1, "h1")).withColor(G, green(2, "h2")).withLive(B)
                .withRollout(new Rollout(RolloutPhase.WAITING_READY, 2, "h2", G, NOW.minusSeconds(5), NOW.plusSeconds(595), false));
        Plan p = Planner.plan(obs("h2", waiting, 0, BLUE_MARK, GREEN_MARK));
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        assertThat(p.result()).isEqualTo(Result.NOW);
        assertThat(p.after().live()).isEqualTo(B);
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.CANARY);
        assertThat(p.after().rollout().canary()).isEqualTo(new CanaryProgress(0, 4, NOW, 0,
                new BakeProgress(NOW, GREEN_MARK, null, 0, 0, null, false), BLUE_MARK, null));
        assertThat(p.after().condition(ConditionType.PROGRESSING).message())
                .isEqualTo("revision 2 is ready in green; its canary of 4 steps begins, blue keeps serving the rest");
    }

    @Test
    void aFirstDeployHasNothingToSplitWithAndIsSwitched() {
        ActualState first = ActualState.EMPTY.withColor(B, blue(1, "h1"))
                .withRollout(new Rollout(RolloutPhase.WAITING_READY, 1, "h1", B, NOW, NOW.plusSeconds(600), false));
        Plan p = Planner.plan(obs("h1", first, 0, Traffic.NONE, Traffic.NONE));
        assertThat(p.effect()).isEqualTo(new Effect.SwitchRoute(B));
    }

    @Test
    void aSetWeightStepSplitsTheRouteAndGoesOnToTheNextStep() {
        ActualState a = canary(at(0, NOW.minusSeconds(1), 0, null));
        Plan p = Planner.plan(obs(a, 0));
        assertThat(p.effect()).isEqualTo(new Effect.SetCanary(G, 10, "r2"));
        assertThat(p.result()).isEqualTo(Result.NOW);
        assertThat(p.after().rollout().canary().step()).isEqualTo(1);
        assertThat(p.after().rollout().canary().weight()).isEqualTo(10);
        assertThat(p.after().rollout().canary().stepStartedAt()).isEqualTo(NOW);
        assertThat(events(p, a)).containsExactly("Normal CanaryWeight: canary of revision 2 in green: weight 10 % (step 1/4)");
        assertThat(p.audits()).extracting(Plan.Audit::action).containsExactly("canary");
        // the next step's weight, from where the canary is
        Plan second = Planner.plan(obs(canary(at(2, NOW.minusSeconds(1), 10, null)), 10));
        assertThat(second.effect()).isEqualTo(new Effect.SetCanary(G, 50, "r2"));
        assertThat(second.after().rollout().canary().describe()).isEqualTo("step 4/4, weight 50 %");
    }

    @Test
    void aPauseWithoutDurationWaitsForPromoteAndSaysSo() {
        ActualState a = canary(at(1, NOW.minusSeconds(3), 10, null));
        Plan p = Planner.plan(obs(a, 10));
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        assertThat(p.result()).as("woken for the next analysis window").isEqualTo(Result.after(Duration.ofSeconds(5)));
        assertThat(p.after().rollout()).isEqualTo(a.rollout());
        assertThat(p.after().condition(ConditionType.PROGRESSING).reason()).isEqualTo(Reason.CANARY_PAUSED.wire());
        assertThat(p.after().condition(ConditionType.PROGRESSING).message()).isEqualTo("canary of revision 2 paused at step 2/4, weight 10 %;"
                + " run 'orchctl rollout promote web' to go on (--full for 100 %) or 'orchctl rollout abort web'");
    }

    @Test
    void promoteEndsThePauseAndTheNextStepFollows() {
        Plan p = Planner.plan(obs(canary(at(1, NOW.minusSeconds(3), 10, Request.PROMOTE)), 10));
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        assertThat(p.after().rollout().canary()).isEqualTo(at(2, NOW, 10, null));
    }

    @Test
    void aTimedPauseWaitsForItsEndThenGoesOn() {
        Plan waiting = Planner.plan(obs(canary(at(3, NOW.minusSeconds(58), 50, null)), 50));
        assertThat(waiting.effect()).isEqualTo(Effect.NONE);
        assertThat(waiting.result()).isEqualTo(Result.after(Duration.ofSeconds(2)));
        Plan over = Planner.plan(obs(canary(at(3, NOW.minusSeconds(60), 50, null)), 50));
        assertThat(over.after().rollout().canary().step()).isEqualTo(4);
    }

    @Test
    void afterTheLastStepTheRouteSwitchesAndTheOldColorDrainsAsInBlueGreen() {
        ActualState a = canary(at(4, NOW.minusSeconds(1), 50, null));
        Plan p = Planner.plan(obs(a, 50));
        assertThat(p.effect()).isEqualTo(new Effect.SwitchRoute(G));
        assertThat(p.after().live()).isEqualTo(G);
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.DRAINING);
        assertThat(p.after().rollout().bake()).as("the canary's analysis was the judging: no bake after it").isNull();
        assertThat(p.after().rollout().canary().weight()).isEqualTo(100);
        assertThat(events(p, a)).containsExactly("Normal Switched: route now sends all traffic to green (revision 2) after its canary");
        // then keep-warm of blue, as blue/green does
        Plan draining = Planner.plan(obs(p.after(), 0));
        assertThat(draining.effect()).isEqualTo(Effect.NONE);
    }

    @Test
    void promoteFullSkipsEveryRemainingStep() {
        Plan p = Planner.plan(obs(canary(at(1, NOW.minusSeconds(3), 10, Request.FULL)), 10));
        assertThat(p.effect()).isEqualTo(new Effect.SwitchRoute(G));
        assertThat(p.after().live()).isEqualTo(G);
        assertThat(p.after().rollout().canary().request()).isNull();
    }

    @Test
    void abortSendsEverythingBackThenStopsTheCanaryAndRemembersTheRevisionAsBad() {
        ActualState a = canary(at(3, NOW.minusSeconds(3), 50, Request.ABORT));
        Plan p = Planner.plan(obs(a, 50));
        assertThat(p.effect()).isEqualTo(new Effect.SetCanary(G, 0, "r2"));
        assertThat(p.after().live()).isEqualTo(B);
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.ROLLING_BACK);
        assertThat(p.after().rollout().canary().weight()).isZero();
        var progressing = p.after().condition(ConditionType.PROGRESSING);
        assertThat(progressing.status()).isEqualTo(ConditionStatus.FALSE);
        assertThat(progressing.reason()).isEqualTo(Reason.ABORTED.wire());
        assertThat(progressing.message()).isEqualTo("revision 2 canary aborted by 'orchctl rollout abort' at step 4/4, weight 50 %");
        assertThat(p.signals()).containsExactly(new Plan.Signal(Plan.Signal.Kind.ROLLOUT_ENDED, "aborted", "Aborted"));
        assertThat(p.audits()).extracting(Plan.Audit::action, Plan.Audit::cause).containsExactly(org.assertj.core.groups.Tuple.tuple("rollback", "user"));

        // the drain timeout (30 s) later the canary color stops and the rollout is Aborted: its revision is remembered
        ActualState later = p.after().withRollout(p.after().rollout().enter(RolloutPhase.ROLLING_BACK, NOW.minusSeconds(30)));
        Plan stop = Planner.plan(obs(later, 0));
        assertThat(stop.effect()).isEqualTo(new Effect.StopColor(G));
        assertThat(stop.after().rollout().phase()).isEqualTo(RolloutPhase.ABORTED);
        assertThat(stop.after().rollout().remembersBad("h2")).isTrue();
        ActualState stopped = stop.after();
        Plan resync = Planner.plan(obs(stopped, 0));
        assertThat(resync.effect()).as("a resync does not start the aborted revision again").isEqualTo(Effect.NONE);
    }

    @Test
    void aFailedAnalysisWindowAtTheFailureLimitGoesBackAt100PercentStable() {
        CanaryProgress p1 = new CanaryProgress(1, 4, NOW.minusSeconds(20), 10,
                new BakeProgress(NOW.minusSeconds(10), GREEN_MARK, null, 1, 1, "earlier", false), BLUE_MARK, null);
        ActualState a = canary(p1);
        // green answered 10 of its 50 requests of the window with a 5xx
        Plan p = Planner.plan(obs("h2", a, 10, plus(BLUE_MARK, traffic(450, 0, 20)), plus(GREEN_MARK, traffic(50, 10, 5))));
        assertThat(p.effect()).isEqualTo(new Effect.SetCanary(G, 0, "r2"));
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.ROLLING_BACK);
        var progressing = p.after().condition(ConditionType.PROGRESSING);
        assertThat(progressing.reason()).isEqualTo(Reason.ROLLED_BACK.wire());
        assertThat(progressing.message()).isEqualTo("revision 2 failed its canary analysis (5xx 20.0 % > 1 %)");
        assertThat(events(p, a)).anyMatch(e -> e.startsWith("Warning AnalysisFailed: revision 2 failed its canary analysis (5xx 20.0 % > 1 %)"
                + " at step 2/4, weight 10 %: 2 of 2 windows failed, the last 5xx 20.0 % > 1 %, 10 answered 5xx in the 10s window"));
        assertThat(p.signals()).containsExactly(new Plan.Signal(Plan.Signal.Kind.ROLLOUT_ENDED, "rolled_back", "AnalysisFailed"));
    }

    @Test
    void aPassedWindowIsCountedAndTheLatencyBaselineIsTheLiveColorsP99OfTheSameWindow() {
        ActualState a = canary(at(1, NOW.minusSeconds(20), 10, null).judged(
                new BakeProgress(NOW.minusSeconds(10), GREEN_MARK, null, 0, 0, null, false), BLUE_MARK));
        // blue's p99 in the window is 300 ms; green's 500 ms is below 2 x 300 ms
        Plan ok = Planner.plan(obs("h2", a, 10, plus(BLUE_MARK, traffic(450, 0, 300)), plus(GREEN_MARK, traffic(50, 0, 500))));
        assertThat(ok.effect()).isEqualTo(Effect.NONE);
        assertThat(ok.after().rollout().canary().analysis().windows()).isEqualTo(1);
        assertThat(ok.after().rollout().canary().analysis().failures()).isZero();
        assertThat(ok.after().rollout().canary().stableMark()).isEqualTo(plus(BLUE_MARK, traffic(450, 0, 300)));
        // green's 800 ms is not
        Plan slow = Planner.plan(obs("h2", a, 10, plus(BLUE_MARK, traffic(450, 0, 300)), plus(GREEN_MARK, traffic(50, 0, 800))));
        assertThat(slow.after().rollout().canary().analysis().failures()).isEqualTo(1);
        assertThat(slow.after().rollout().canary().analysis().lastFailure()).startsWith("p99 800 ms > 2 x 300 ms");
    }

    @Test
    void withAnalysisOffNothingIsJudged() {
        ActualState a = canary(at(1, NOW.minusSeconds(20), 10, null).judged(
                new BakeProgress(NOW.minusSeconds(10), GREEN_MARK, null, 0, 0, null, false), BLUE_MARK));
        RouteObservation route = new RouteObservation(true, true, B, BLUE_MARK, plus(GREEN_MARK, traffic(50, 50, 5)), 10);
        Plan p = Planner.plan(new Observation("web", desired(Strategy.Analysis.OFF), "h2", null, a, a, READY, READY, route, 0, 3, NOW, null));
        assertThat(p.after().rollout()).isEqualTo(a.rollout());
        assertThat(p.result()).isEqualTo(Result.after(Planner.BLOCKED_RETRY));
    }

    @Test
    void aNewRevisionDuringTheCanaryEndsItAndThenRollsOut() {
        ActualState a = canary(at(1, NOW.minusSeconds(3), 10, null));
        Plan p = Planner.plan(obs("h3", a, 10, BLUE_MARK, GREEN_MARK));
        assertThat(p.effect()).isEqualTo(new Effect.SetCanary(G, 0, "r2"));
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.ROLLING_BACK);
        assertThat(p.after().condition(ConditionType.PROGRESSING).reason()).isEqualTo(Reason.SUPERSEDED.wire());
        assertThat(p.signals()).containsExactly(new Plan.Signal(Plan.Signal.Kind.ROLLOUT_ENDED, "aborted", "Superseded"));
        ActualState aborted = p.after().withRollout(p.after().rollout().enter(RolloutPhase.ABORTED, NOW));
        assertThat(aborted.rollout().remembersBad("h3")).isFalse();
        Plan next = Planner.plan(obs("h3", aborted.withColor(G, null), 0, BLUE_MARK, Traffic.NONE));
        assertThat(next.effect()).isInstanceOf(Effect.PrepareRevision.class);
    }

    @Test
    void aRouteThatLostTheSplitGetsThePersistedWeightBack() {
        Plan p = Planner.plan(obs(canary(at(2, NOW.minusSeconds(3), 10, null)), 0));
        assertThat(p.effect()).isEqualTo(new Effect.SetCanary(G, 10, "r2"));
        assertThat(p.after().rollout().canary().step()).isEqualTo(2);
    }
}
