package dev.orch.reconcile;

import dev.orch.state.ActualState;
import java.util.List;
import java.util.Map;

/**
 * Everything one pass decided, by the {@link Planner} alone: the side effect, the status persisted before it
 * (the crash-resume point; null when the effect needs none) and after it (null when the app's state is
 * archived), the audit entries and metric signals it produces, the probes that should run, and what the
 * loop does next.
 */
public record Plan(Effect effect, ActualState before, ActualState after, List<Audit> audits, List<Signal> signals,
        List<ProbeWatch> probes, Result result) {
    public Plan {
        audits = List.copyOf(audits);
        signals = List.copyOf(signals);
        probes = List.copyOf(probes);
    }

    /** One audit-log entry the pass appends once its effect is done. */
    public record Audit(String action, String cause, Map<String, String> details) {}

    /** What the metrics hear: a rollout ended ({@code complete}/{@code aborted}) or drift was corrected. */
    public record Signal(Kind kind, String result, String reason) {
        public enum Kind {
            ROLLOUT_ENDED,
            DRIFT_CORRECTED
        }
    }
}
