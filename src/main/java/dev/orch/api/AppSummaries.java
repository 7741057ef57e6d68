package dev.orch.api;

import dev.orch.intake.Pin;
import dev.orch.state.ConditionType;
import dev.orch.state.ActualState;
import dev.orch.state.ColorState;
import dev.orch.state.Condition;
import dev.orch.state.ConditionStatus;
import dev.orch.state.DesiredApp;
import dev.orch.state.Reason;
import dev.orch.state.Rollout;
import dev.orch.state.RolloutPhase;

/** The one-line view of an app for {@code get apps}: live color, revision, readiness and one status word. */
final class AppSummaries {
    private AppSummaries() {}

    /**
     * @param liveReady replicas of the live color that passed readiness at the last observation: READY counts
     *     them one by one (kubectl's 2/3), not all-or-nothing from the Available condition
     */
    static AppSummary of(String app, DesiredApp d, ActualState a, int liveReady) {
        return of(app, d, a, liveReady, null, null);
    }

    /** With a pin, the source reads {@code git (pinned)}: a commit that does not change the app leaves it where it is. */
    static AppSummary of(String app, DesiredApp d, ActualState a, int liveReady, Pin pin, String release) {
        ColorState live = a.live() == null ? null : a.color(a.live());
        int replicas = d != null ? d.deployment().spec().replicas() : live == null ? 0 : live.ports().size();
        Condition available = a.condition(ConditionType.AVAILABLE);
        boolean up = available != null && available.status() == ConditionStatus.TRUE;
        int ready = live == null ? 0 : liveReady;
        String route = d == null ? null : d.deployment().spec().route().bindAddress() + ":" + d.deployment().spec().route().port()
                + "/" + d.deployment().spec().route().protocol().wire();
        return new AppSummary(app, a.live() == null ? null : a.live().wire(), live == null ? 0 : live.revision(),
                ready + "/" + replicas, status(d, a, up), d == null ? null : d.createdAt(),
                live == null ? null : live.revisionHash(), route, d == null ? null : d.source().type().wire() + (pin == null ? "" : " (pinned)"),
                d == null ? null : d.deployment().metadata().labels(), release);
    }

    /** Deleting, RolledBack: why (failed bake), Failed (last rollout aborted), Progressing, Degraded, Available or Pending. */
    static String status(DesiredApp d, ActualState a, boolean available) {
        if (d == null) {
            return "Deleting";
        }
        Rollout r = a.rollout();
        Condition degraded = a.condition(ConditionType.DEGRADED);
        if (degraded != null && degraded.status() == ConditionStatus.TRUE) {
            return "Degraded";
        }
        Condition stalled = a.condition(ConditionType.STALLED);
        if (stalled != null && stalled.status() == ConditionStatus.TRUE) {
            return "Stalled";
        }
        // draining (keep-warm) is after the switch: the new revision serves, the rollout has succeeded
        if (r != null && r.inCanary()) {
            return "Canary: " + r.canary().describe();
        }
        if (r != null && r.inProgress() && r.phase() != RolloutPhase.DRAINING) {
            return "Progressing";
        }
        Condition progressing = a.condition(ConditionType.PROGRESSING);
        if (r != null && r.phase() == RolloutPhase.ABORTED && !r.retry() && progressing != null && progressing.is(ConditionStatus.FALSE, Reason.ROLLED_BACK)) {
            return Reason.ROLLED_BACK.wire() + ": " + progressing.message(); // until a new revision, undo or retry
        }
        if (r != null && r.phase() == RolloutPhase.ABORTED && a.observedGeneration() >= d.generation()) {
            return "Failed";
        }
        if (a.live() == null) {
            return "Pending";
        }
        return available ? "Available" : "Unavailable";
    }
}
