package dev.orch.reconcile;

import static dev.orch.reconcile.PlannerTest.B;
import static dev.orch.reconcile.PlannerTest.G;
import static dev.orch.reconcile.PlannerTest.NOW;
import static dev.orch.reconcile.PlannerTest.READY;
import static dev.orch.reconcile.PlannerTest.STARTING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.DeploymentSpec;
import dev.orch.manifest.SmokeCheck;
import dev.orch.manifest.Strategy;
import dev.orch.state.ActualState;
import dev.orch.state.Condition;
import dev.orch.state.ConditionStatus;
import dev.orch.state.ConditionType;
import dev.orch.state.DesiredApp;
import dev.orch.state.Reason;
import dev.orch.state.RolloutPhase;
import dev.orch.state.Source;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pre-switch smoke checks, transition by transition: send once the target counts as ready, then switch or abort. */
class SmokePlannerTest {
    static final SmokeCheck SMOKE = new SmokeCheck("/smoke", "GET", List.of(), 200, 5);
    static final DesiredApp WITH_SMOKE = desired(true, 0, List.of(SMOKE));
    static final String VIA = "the preview listener 127.0.0.1:8081";
    static final String FAILURE = "GET /smoke via " + VIA + ": expected status 200, got 500";

    static DesiredApp desired(boolean autoPromote, int minReady, List<SmokeCheck> checks) {
        Deployment d = PlannerTest.deployment(autoPromote, 300, PlannerTest.PLAIN, 1);
        DeploymentSpec s = d.spec();
        Strategy strategy = new Strategy("BlueGreen", new Strategy.BlueGreen(autoPromote, 300, Strategy.Bake.OFF, 5, checks));
        return new DesiredApp(new Deployment(d.apiVersion(), d.kind(), d.metadata(), new DeploymentSpec(s.replicas(), s.route(), s.template(),
                strategy, s.progressDeadlineSeconds(), s.revisionHistoryLimit(), minReady, null, null, null)), Source.APPLY, 2, NOW, NOW);
    }

    static Plan plan(DesiredApp d, ActualState a, ColorObservation green, SmokeVerdict verdict) {
        Observation o = PlannerTest.obs(d, "h2", a, READY, green, PlannerTest.ROUTE_BLUE);
        return Planner.plan(new Observation(o.app(), o.desired(), o.desiredHash(), null, o.stored(), o.actual(), o.blue(), o.green(), o.route(),
                o.strayUnits(), o.nextRevision(), o.now(), null, verdict));
    }

    static ActualState waiting() {
        return PlannerTest.rollingOut(RolloutPhase.WAITING_READY);
    }

    static List<String> newEvents(Plan p, ActualState before) {
        return p.after().events().subList(before.events().size(), p.after().events().size()).stream()
                .map(e -> e.type() + " " + e.reason() + ": " + e.message()).toList();
    }

    @Test
    void aReadyTargetWithSmokeChecksGetsThemSentBeforeAnySwitch() {
        Plan p = plan(WITH_SMOKE, waiting(), READY, null);
        assertThat(p.effect()).isEqualTo(new Effect.RunSmokeChecks(G, 2));
        assertThat(p.result()).isEqualTo(Result.NOW);
        assertThat(p.before()).isNull();
        assertThat(p.after().live()).isEqualTo(B);
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.WAITING_READY);
    }

    @Test
    void aTargetThatIsNotReadyGetsNoSmokeChecks() {
        Plan p = plan(WITH_SMOKE, waiting(), STARTING, null);
        assertThat(p.effect()).isEqualTo(Effect.NONE);
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.WAITING_READY);
    }

    @Test
    void aVerdictForAnotherRevisionOrColorDoesNotCountAndTheChecksAreSentAgain() {
        assertThat(plan(WITH_SMOKE, waiting(), READY, new SmokeVerdict(G, 1, 1, VIA, null)).effect()).isEqualTo(new Effect.RunSmokeChecks(G, 2));
        assertThat(plan(WITH_SMOKE, waiting(), READY, new SmokeVerdict(B, 2, 1, VIA, null)).effect()).isEqualTo(new Effect.RunSmokeChecks(G, 2));
    }

    @Test
    void passedSmokeChecksLetTheSwitchGoOnWithANormalEvent() {
        ActualState a = waiting();
        Plan p = plan(WITH_SMOKE, a, READY, new SmokeVerdict(G, 2, 1, VIA, null));
        assertThat(p.effect()).isEqualTo(new Effect.SwitchRoute(G));
        assertThat(p.before().rollout().phase()).isEqualTo(RolloutPhase.SWITCHING);
        assertThat(p.after().live()).isEqualTo(G);
        assertThat(newEvents(p, a)).containsExactly(
                "Normal SmokeChecksPassed: revision 2 in green passed 1 smoke check request via " + VIA,
                "Normal Switched: route now sends traffic to green (revision 2)");
    }

    @Test
    void aFailedSmokeCheckAbortsStopsTheTargetAndTheLiveColorKeepsServing() {
        ActualState a = waiting();
        Plan p = plan(WITH_SMOKE, a, READY, new SmokeVerdict(G, 2, 1, VIA, FAILURE));
        String msg = "revision 2 in green failed its smoke check " + FAILURE;
        assertThat(p.effect()).isEqualTo(new Effect.StopColor(G));
        assertThat(p.after().live()).isEqualTo(B);
        assertThat(p.after().rollout().phase()).isEqualTo(RolloutPhase.ABORTED);
        Condition progressing = p.after().condition(ConditionType.PROGRESSING);
        assertThat(progressing.status()).isEqualTo(ConditionStatus.FALSE);
        assertThat(progressing.reason()).isEqualTo(Reason.SMOKE_CHECK_FAILED.wire());
        assertThat(progressing.message()).isEqualTo(msg);
        assertThat(newEvents(p, a)).containsExactly("Warning SmokeCheckFailed: " + msg + "; stopped green, blue keeps serving");
        assertThat(p.audits()).containsExactly(new Plan.Audit("abort", "controller", java.util.Map.of("revision", "2", "reason", "SmokeCheckFailed")));
        assertThat(p.signals()).containsExactly(new Plan.Signal(Plan.Signal.Kind.ROLLOUT_ENDED, "aborted", "SmokeCheckFailed"));
    }

    @Test
    void theRevisionThatFailedItsSmokeCheckIsRememberedAsBadAndNotStartedAgain() {
        Plan aborted = plan(WITH_SMOKE, waiting(), READY, new SmokeVerdict(G, 2, 1, VIA, FAILURE));
        ActualState after = aborted.after();
        Plan resync = Planner.plan(PlannerTest.obs(WITH_SMOKE, "h2", after, READY, PlannerTest.INSTALLED_STOPPED, PlannerTest.ROUTE_BLUE));
        assertThat(resync.effect()).isEqualTo(Effect.NONE);
        assertThat(resync.after().rollout().phase()).isEqualTo(RolloutPhase.ABORTED);
        Plan next = Planner.plan(PlannerTest.obs(WITH_SMOKE, "h3", after, READY, PlannerTest.INSTALLED_STOPPED, PlannerTest.ROUTE_BLUE));
        assertThat(next.effect()).isInstanceOf(Effect.PrepareRevision.class);
    }

    @Test
    void withMinReadySecondsTheChecksWaitUntilTheTargetCounts() {
        DesiredApp d = desired(true, 10, List.of(SMOKE));
        ActualState counting = waiting().withRollout(waiting().rollout().withReadySince(NOW.minusSeconds(4)));
        Plan early = plan(d, counting, READY, null);
        assertThat(early.effect()).isEqualTo(Effect.NONE);
        assertThat(early.result()).isEqualTo(Result.after(Duration.ofSeconds(6)));
        ActualState counted = waiting().withRollout(waiting().rollout().withReadySince(NOW.minusSeconds(10)));
        assertThat(plan(d, counted, READY, null).effect()).isEqualTo(new Effect.RunSmokeChecks(G, 2));
    }

    @Test
    void withManualPromotionTheChecksComeFirstAndAPassedRevisionWaitsForThePromote() {
        DesiredApp manual = desired(false, 0, List.of(SMOKE));
        assertThat(plan(manual, waiting(), READY, null).effect()).isEqualTo(new Effect.RunSmokeChecks(G, 2));
        Plan held = plan(manual, waiting(), READY, new SmokeVerdict(G, 2, 1, VIA, null));
        assertThat(held.effect()).isEqualTo(Effect.NONE);
        assertThat(held.after().condition(ConditionType.PROGRESSING).reason()).isEqualTo(Reason.AWAITING_PROMOTION.wire());
        ActualState promoted = waiting().withRollout(waiting().rollout().promote());
        assertThat(plan(manual, promoted, READY, new SmokeVerdict(G, 2, 1, VIA, null)).effect()).isEqualTo(new Effect.SwitchRoute(G));
        assertThat(plan(manual, promoted, READY, new SmokeVerdict(G, 2, 1, VIA, FAILURE)).effect()).isEqualTo(new Effect.StopColor(G));
    }

    @Test
    void withoutSmokeChecksAReadyTargetIsSwitchedToAtOnce() {
        Plan p = plan(desired(true, 0, null), waiting(), READY, null);
        assertThat(p.effect()).isEqualTo(new Effect.SwitchRoute(G));
        assertThat(newEvents(p, waiting())).noneMatch(e -> e.contains("Smoke"));
    }

    @Test
    void aWarmSwitchBackSendsNone() {
        Plan p = plan(WITH_SMOKE, PlannerTest.rollingOut(RolloutPhase.SWITCHING), READY, null);
        assertThat(p.effect()).isEqualTo(new Effect.SwitchRoute(G));
    }
}
