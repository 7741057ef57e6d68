package dev.orch.reconcile;

import static dev.orch.reconcile.PlannerTest.B;
import static dev.orch.reconcile.PlannerTest.G;
import static dev.orch.reconcile.PlannerTest.NOW;
import static dev.orch.reconcile.PlannerTest.READY;
import static dev.orch.reconcile.PlannerTest.STARTING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.DeploymentSpec;
import dev.orch.state.ActualState;
import dev.orch.state.DesiredApp;
import dev.orch.state.RolloutPhase;
import dev.orch.state.Source;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code minReadySeconds}: a ready target counts (and is switched to) only once it has been ready that long without a break. */
class MinReadyPlannerTest {
    static final DesiredApp MIN_READY_10 = desired(10);

    static DesiredApp desired(int minReady) {
        Deployment d = PlannerTest.deployment(true, 300, PlannerTest.PLAIN, 1);
        DeploymentSpec s = d.spec();
        return new DesiredApp(new Deployment(d.apiVersion(), d.kind(), d.metadata(), new DeploymentSpec(s.replicas(), s.route(), s.template(),
                s.strategy(), s.progressDeadlineSeconds(), s.revisionHistoryLimit(), minReady, null, null, null)), Source.APPLY, 2, NOW, NOW);
    }

    static ActualState waiting(Instant readySince) {
        ActualState a = PlannerTest.rollingOut(RolloutPhase.WAITING_READY);
        return a.withRollout(a.rollout().withReadySince(readySince));
    }

    static Plan plan(DesiredApp d, ActualState a, ColorObservation green) {
        return Planner.plan(PlannerTest.obs(d, "h2", a, READY, green, PlannerTest.ROUTE_BLUE));
    }

    @Test
    void theFirstReadyPassStartsCountingAndWaitsTheWholeMinimum() {
        Plan p = plan(MIN_READY_10, waiting(null), READY);
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        assertThat(p.result()).isEqualTo(Result.after(Duration.ofSeconds(10)));
        assertThat(p.after().rollout().readySince()).isEqualTo(NOW);
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.WAITING_READY);
    }

    @Test
    void readyForLessThanTheMinimumWaitsTheRest() {
        Plan p = plan(MIN_READY_10, waiting(NOW.minusSeconds(4)), READY);
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        assertThat(p.result()).isEqualTo(Result.after(Duration.ofSeconds(6)));
    }

    @Test
    void readyForTheMinimumIsSwitchedTo() {
        Plan p = plan(MIN_READY_10, waiting(NOW.minusSeconds(10)), READY);
        assertThat(p.effect()).isEqualTo(new Effect.SwitchRoute(G));
        assertThat(p.after().live()).isEqualTo(G);
    }

    @Test
    void aBreakInReadinessStartsTheCountAgain() {
        Plan p = plan(MIN_READY_10, waiting(NOW.minusSeconds(8)), STARTING);
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        assertThat(p.after().rollout().readySince()).isNull();
        assertThat(p.result()).isEqualTo(Result.NOW);
    }

    @Test
    void withoutMinReadySecondsAReadyTargetIsSwitchedToAtOnce() {
        Plan p = plan(desired(0), waiting(null), READY);
        assertThat(p.effect()).isEqualTo(new Effect.SwitchRoute(G));
        assertThat(p.after().live()).isEqualTo(G);
    }

    @Test
    void theProgressDeadlineStillAppliesWhileTheMinimumIsCounted() {
        ActualState a = waiting(NOW.minusSeconds(4));
        a = a.withRollout(new dev.orch.state.Rollout(RolloutPhase.WAITING_READY, 2, "h2", G, NOW.minusSeconds(600), NOW, false)
                .withReadySince(NOW.minusSeconds(4)));
        Plan p = plan(MIN_READY_10, a, READY);
        assertThat(p.effect()).isEqualTo(new Effect.StopColor(G));
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.ABORTED);
        assertThat(p.after().condition(dev.orch.state.ConditionType.PROGRESSING).message())
                .isEqualTo("revision 2 in green not ready for minReadySeconds (10s) within 600s");
    }
}
