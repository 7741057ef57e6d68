package dev.orch.reconcile;

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
import dev.orch.state.Condition;
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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bake window and the bad-revision memory, transition by transition (the planner is pure: observation -> plan). */
class BakePlannerTest {
    /** 60 s bake judged every 10 s, at most 1 % 5xx, p99 at most 2x, 2 failed windows flip back. */
    static final Strategy.Bake BAKE = new Strategy.Bake(60, 10, 1, 2, 2);
    static final DesiredApp DESIRED = desired(BAKE);
    static final Instant SWITCHED = NOW.minusSeconds(25);

    static DesiredApp desired(Strategy.Bake bake) {
        Deployment base = PlannerTest.deployment(true, 300, PlannerTest.PLAIN, 1);
        DeploymentSpec s = base.spec();
        DeploymentSpec spec = new DeploymentSpec(s.replicas(), s.route(), s.template(),
                new Strategy("BlueGreen", new Strategy.BlueGreen(true, 300, bake, 5)), s.progressDeadlineSeconds(), s.revisionHistoryLimit());
        return new DesiredApp(new Deployment(base.apiVersion(), base.kind(), base.metadata(), spec), Source.APPLY, 2, NOW, NOW);
    }

    /** {@code requests} requests, {@code errors} of them 5xx, every one taking {@code millis}. */
    static Traffic traffic(long requests, long errors, long millis) {
        List<Long> buckets = new ArrayList<>();
        for (int i = 0; i <= Traffic.BOUNDS_MILLIS.size(); i++) {
            buckets.add(0L);
        }
        buckets.set(Traffic.bucket(millis * 1_000_000), requests);
        return new Traffic(requests, errors, buckets);
    }

    static Traffic plus(Traffic a, Traffic b) {
        List<Long> sum = new ArrayList<>();
        for (int i = 0; i < a.buckets().size(); i++) {
            sum.add(a.buckets().get(i) + b.buckets().get(i));
        }
        return new Traffic(a.requests() + b.requests(), a.errors5xx() + b.errors5xx(), sum);
    }

    static final Traffic GREEN_AT_WINDOW = traffic(100, 0, 5);

    /** Green (revision 2) switched 25 s ago, blue (revision 1) warm; the window being counted began 5 s ago. */
    static ActualState baking(BakeProgress b) {
        return ActualState.EMPTY.withColor(B, blue(1, "h1")).withColor(G, green(2, "h2")).withLive(G)
                .withRollout(new Rollout(RolloutPhase.DRAINING, 2, "h2", G, SWITCHED, null, true, traffic(50, 0, 20), b, false));
    }

    static BakeProgress progress(Instant windowStart, int windows, int failures) {
        return new BakeProgress(windowStart, GREEN_AT_WINDOW, 20L, windows, failures, null, false);
    }

    static Observation obs(DesiredApp d, String hash, ActualState a, Traffic blueTraffic, Traffic greenTraffic, Instant now) {
        RouteObservation route = new RouteObservation(true, true, a.live(), blueTraffic, greenTraffic);
        return new Observation("web", d, hash, null, a, a, READY, READY, route, 0, 3, now, null);
    }

    static Observation judged(Traffic greenNow, int failuresSoFar) {
        return obs(DESIRED, "h2", baking(progress(NOW.minusSeconds(10), 1, failuresSoFar)), traffic(80, 0, 20), greenNow, NOW);
    }

    static List<String> events(Plan p, ActualState before) {
        return p.after().events().subList(before.events().size(), p.after().events().size()).stream()
                .map(e -> e.type() + " " + e.reason() + ": " + e.message()).toList();
    }

    @Test
    void theSwitchStartsTheBakeWithTheOldColorsP99SinceTheRolloutBegan() {
        ActualState switching = ActualState.EMPTY.withColor(B, blue(1, "h1")).withColor(G, green(2, "h2")).withLive(B)
                .withRollout(new Rollout(RolloutPhase.SWITCHING, 2, "h2", G, NOW, null, true, traffic(50, 0, 1), null, false));
        // blue served 200 more requests of 18 ms since the rollout began; green had 7 through the preview
        Plan p = Planner.plan(obs(DESIRED, "h2", switching, plus(traffic(50, 0, 1), traffic(200, 0, 18)), traffic(7, 0, 3), NOW));
        assertThat(p.effect()).isEqualTo(new Effect.SwitchRoute(G));
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.DRAINING);
        assertThat(p.after().rollout().bake()).isEqualTo(new BakeProgress(NOW, traffic(7, 0, 3), 20L, 0, 0, null, false));
    }

    @Test
    void aFirstDeployOrABakeOfZeroSecondsHasNoBake() {
        ActualState first = ActualState.EMPTY.withColor(B, blue(1, "h1"))
                .withRollout(new Rollout(RolloutPhase.SWITCHING, 1, "h1", B, NOW, null, false));
        assertThat(Planner.plan(obs(DESIRED, "h1", first, Traffic.NONE, Traffic.NONE, NOW)).after().rollout().bake()).isNull();
        ActualState switching = ActualState.EMPTY.withColor(B, blue(1, "h1")).withColor(G, green(2, "h2")).withLive(B)
                .withRollout(new Rollout(RolloutPhase.SWITCHING, 2, "h2", G, NOW, null, true));
        Plan off = Planner.plan(obs(desired(Strategy.Bake.OFF), "h2", switching, Traffic.NONE, Traffic.NONE, NOW));
        assertThat(off.effect()).isEqualTo(new Effect.SwitchRoute(G));
        assertThat(off.after().rollout().bake()).isNull();
    }

    @Test
    void aRolloutRemembersTheLiveColorsCountsWhenItBegins() {
        ActualState live = ActualState.EMPTY.withColor(B, blue(1, "h1")).withLive(B);
        Plan p = Planner.plan(obs(DESIRED, "h2", live, traffic(42, 1, 3), Traffic.NONE, NOW));
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.PREPARING);
        assertThat(p.after().rollout().liveMark()).isEqualTo(traffic(42, 1, 3));
    }

    @Test
    void inTheMiddleOfAWindowItWaitsForTheWindowsEndAndKeepsTheOldColorWarm() {
        ActualState a = baking(progress(NOW.minusSeconds(4), 2, 0));
        Plan p = Planner.plan(obs(DESIRED, "h2", a, traffic(80, 0, 20), plus(GREEN_AT_WINDOW, traffic(30, 10, 5)), NOW));
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        assertThat(p.result()).isEqualTo(Result.after(Duration.ofSeconds(6)));
        assertThat(p.after().rollout()).isEqualTo(a.rollout());
    }

    @Test
    void aHealthyWindowCountsAndTheNextOneBegins() {
        Traffic now = plus(GREEN_AT_WINDOW, traffic(1000, 10, 30)); // exactly 1 %: not above the limit
        Plan p = Planner.plan(judged(now, 0));
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        assertThat(p.result()).isEqualTo(Result.after(Duration.ofSeconds(10)));
        assertThat(p.after().rollout().bake()).isEqualTo(new BakeProgress(NOW, now, 20L, 2, 0, null, false));
        assertThat(p.after().live()).isEqualTo(G);
    }

    @Test
    void aWindowWithoutRequestsIsNotAFailure() {
        Plan p = Planner.plan(judged(GREEN_AT_WINDOW, 1));
        assertThat(p.after().rollout().bake().failures()).isEqualTo(1);
        assertThat(p.after().rollout().bake().windows()).isEqualTo(2);
        assertThat(p.effect()).isEqualTo(Effect.NONE);
    }

    @Test
    void aFirstFailedWindowBelowTheLimitIsRecordedAndTheBakeGoesOn() {
        Plan p = Planner.plan(judged(plus(GREEN_AT_WINDOW, traffic(500, 16, 5)), 0));
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        assertThat(p.after().rollout().bake().failures()).isEqualTo(1);
        assertThat(p.after().rollout().bake().lastFailure())
                .isEqualTo("5xx 3.2 % > 1 %, 16 answered 5xx in the 10s window from 2026-11-23T11:59:50Z (500 requests)");
        assertThat(p.after().live()).isEqualTo(G);
    }

    @Test
    void reachingTheFailureLimitOn5xxFlipsTheRouteBackAtOnce() {
        ActualState before = judged(GREEN_AT_WINDOW, 1).actual();
        Plan p = Planner.plan(judged(plus(GREEN_AT_WINDOW, traffic(500, 16, 5)), 1));
        assertThat(p.effect()).isEqualTo(new Effect.SwitchRoute(B));
        assertThat(p.after().live()).isEqualTo(B);
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.ROLLING_BACK);
        Condition c = p.after().condition(ConditionType.PROGRESSING);
        assertThat(c.status()).isEqualTo(ConditionStatus.FALSE);
        assertThat(c.reason()).isEqualTo("RolledBack");
        assertThat(c.message()).isEqualTo("revision 2 failed its bake (5xx 3.2 % > 1 %)");
        assertThat(events(p, before)).containsExactly("Warning BakeFailed: revision 2 failed its bake (5xx 3.2 % > 1 %): 2 of 2 windows failed,"
                + " the last 5xx 3.2 % > 1 %, 16 answered 5xx in the 10s window from 2026-11-23T11:59:50Z (500 requests); route switched back to blue (revision 1)");
        assertThat(p.audits()).containsExactly(new Plan.Audit("rollback", "bake", java.util.Map.of("revision", "2", "color", "blue",
                "evidence", "5xx 3.2 % > 1 %, 16 answered 5xx in the 10s window from 2026-11-23T11:59:50Z (500 requests)")));
        assertThat(p.signals()).containsExactly(new Plan.Signal(Plan.Signal.Kind.ROLLOUT_ENDED, "rolled_back", "BakeFailed"));
        assertThat(p.result()).isEqualTo(Result.NOW);
    }

    @Test
    void reachingTheFailureLimitOnP99FlipsBack() {
        // baseline 20 ms counts as the 200 ms floor: a p99 of 500 ms is above 2 x 200 ms
        Plan p = Planner.plan(judged(plus(GREEN_AT_WINDOW, traffic(400, 0, 450)), 1));
        assertThat(p.effect()).isEqualTo(new Effect.SwitchRoute(B));
        assertThat(p.after().condition(ConditionType.PROGRESSING).message()).isEqualTo("revision 2 failed its bake (p99 500 ms > 2 x 200 ms)");
    }

    @Test
    void aP99UnderTheRatioTimesTheFlooredBaselineIsHealthy() {
        Plan p = Planner.plan(judged(plus(GREEN_AT_WINDOW, traffic(400, 0, 280)), 1)); // 300 ms bucket, not above 400
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        assertThat(p.after().rollout().bake().failures()).isEqualTo(1);
    }

    @Test
    void withoutAReadyOldColorThereIsNothingToFlipBackTo() {
        ActualState a = judged(GREEN_AT_WINDOW, 1).actual();
        Observation o = new Observation("web", DESIRED, "h2", null, a, a, PlannerTest.INSTALLED_STOPPED, READY,
                new RouteObservation(true, true, G, traffic(80, 0, 20), plus(GREEN_AT_WINDOW, traffic(500, 16, 5))), 0, 3, NOW, null);
        Plan p = Planner.plan(o);
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        assertThat(p.after().live()).isEqualTo(G);
        assertThat(p.after().rollout().bake().passed()).isTrue();
        assertThat(events(p, a)).containsExactly("Warning BakeFailed: revision 2 failed its bake (5xx 3.2 % > 1 %) but blue is not ready to take"
                + " the traffic back; green keeps serving (5xx 3.2 % > 1 %, 16 answered 5xx in the 10s window from 2026-11-23T11:59:50Z (500 requests))");
    }

    @Test
    void theBakeEndsPassedAfterItsDurationThenDrainingGoesOn() {
        ActualState a = ActualState.EMPTY.withColor(B, blue(1, "h1")).withColor(G, green(2, "h2")).withLive(G)
                .withRollout(new Rollout(RolloutPhase.DRAINING, 2, "h2", G, NOW.minusSeconds(60), null, true, null,
                        progress(NOW.minusSeconds(10), 5, 1), false));
        Plan p = Planner.plan(obs(DESIRED, "h2", a, Traffic.NONE, plus(GREEN_AT_WINDOW, traffic(100, 0, 5)), NOW));
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        assertThat(p.after().rollout().bake().passed()).isTrue();
        assertThat(events(p, a)).containsExactly("Normal BakePassed: revision 2 passed its bake: 6 windows of 10s judged, 1 failed (limit 2)");
        // next pass: the bake is over, keep-warm (300 s from the switch) goes on
        Plan next = Planner.plan(obs(DESIRED, "h2", p.after(), Traffic.NONE, Traffic.NONE, NOW));
        assertThat(next.effect()).isEqualTo(Effect.NONE);
        assertThat(next.result()).isEqualTo(Result.after(Duration.ofSeconds(240)));
    }

    @Test
    void aNewerDesiredStateDuringTheBakeEndsItLikeDraining() {
        ActualState a = baking(progress(NOW.minusSeconds(4), 1, 1));
        Plan p = Planner.plan(obs(DESIRED, "h3", a, Traffic.NONE, Traffic.NONE, NOW));
        assertThat(p.effect()).isEqualTo(new Effect.StopColor(B));
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.COMPLETE);
    }

    @Test
    void rollingBackWaitsForTheDrainTimeoutSoRequestsInFlightOnTheFailedColorFinish() {
        // the route's drainTimeoutSeconds is 30 in these tables
        ActualState a = ActualState.EMPTY.withColor(B, blue(1, "h1")).withColor(G, green(2, "h2")).withLive(B)
                .withRollout(new Rollout(RolloutPhase.ROLLING_BACK, 2, "h2", G, NOW.minusSeconds(12), null, true));
        Plan p = Planner.plan(obs(DESIRED, "h2", a, Traffic.NONE, Traffic.NONE, NOW));
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        assertThat(p.result()).isEqualTo(Result.after(Duration.ofSeconds(18)));
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.ROLLING_BACK);
    }

    @Test
    void rollingBackStopsTheFailedColorAndTheRolloutEndsAborted() {
        ActualState a = ActualState.EMPTY.withColor(B, blue(1, "h1")).withColor(G, green(2, "h2")).withLive(B)
                .withRollout(new Rollout(RolloutPhase.ROLLING_BACK, 2, "h2", G, NOW.minusSeconds(30), null, true));
        Plan p = Planner.plan(obs(DESIRED, "h2", a, Traffic.NONE, Traffic.NONE, NOW));
        assertThat(p.effect()).isEqualTo(new Effect.StopColor(G));
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.ABORTED);
        assertThat(p.after().live()).isEqualTo(B);
    }

    static ActualState rolledBack(boolean retried) {
        Rollout r = new Rollout(RolloutPhase.ABORTED, 2, "h2", G, NOW, null, true);
        return ActualState.EMPTY.withColor(B, blue(1, "h1")).withLive(B).withRollout(retried ? r.retried() : r)
                .withCondition(Condition.of(ConditionType.PROGRESSING, ConditionStatus.FALSE, Reason.ROLLED_BACK,
                        "revision 2 failed its bake (5xx 3.2 % > 1 %)", NOW.minusSeconds(60)));
    }

    @Test
    void aResyncDoesNotStartTheBadRevisionAgain() {
        Plan p = Planner.plan(obs(DESIRED, "h2", rolledBack(false), Traffic.NONE, Traffic.NONE, NOW));
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        assertThat(p.result()).isEqualTo(Result.DONE);
        assertThat(p.after().condition(ConditionType.PROGRESSING).reason()).isEqualTo("RolledBack");
    }

    @Test
    void aNewRevisionStartsARollout() {
        Plan p = Planner.plan(obs(DESIRED, "h3", rolledBack(false), Traffic.NONE, Traffic.NONE, NOW));
        assertThat(p.effect()).isEqualTo(new Effect.PrepareRevision(G, 3, "h3", 1));
    }

    @Test
    void aRetryStartsTheSameRevisionAgainUnderANewNumber() {
        Plan p = Planner.plan(obs(DESIRED, "h2", rolledBack(true), Traffic.NONE, Traffic.NONE, NOW));
        assertThat(p.effect()).isEqualTo(new Effect.PrepareRevision(G, 3, "h2", 1));
        assertThat(p.after().rollout().retry()).isFalse();
    }

    @Test
    void anUndoToTheLiveRevisionClearsTheRolledBackStatus() {
        Plan p = Planner.plan(obs(DESIRED, "h1", rolledBack(false), Traffic.NONE, Traffic.NONE, NOW));
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        Condition c = p.after().condition(ConditionType.PROGRESSING);
        assertThat(c.status()).isEqualTo(ConditionStatus.TRUE);
        assertThat(c.reason()).isEqualTo("NewRevisionAvailable");
        assertThat(c.message()).isEqualTo("revision 1 is live in blue");
    }

    @Test
    void aRouteReopenedSinceTheMarkCountsEverythingItHas() {
        assertThat(traffic(5, 1, 3).minus(traffic(100, 0, 3))).isEqualTo(traffic(5, 1, 3));
        assertThat(plus(traffic(100, 0, 3), traffic(5, 1, 3)).minus(traffic(100, 0, 3))).isEqualTo(plus(traffic(0, 0, 3), traffic(5, 1, 3)));
    }

}
