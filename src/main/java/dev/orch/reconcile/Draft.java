package dev.orch.reconcile;

import dev.orch.state.ActualState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A planner decision being built: the effect, status before and after, audits, signals, result. */
final class Draft {
    Effect effect = Effect.NONE;
    ActualState before;
    ActualState after;
    Result result = Result.DONE;
    final List<Plan.Audit> audits = new ArrayList<>();
    final List<Plan.Signal> signals = new ArrayList<>();

    Draft(ActualState after) {
        this.after = after;
    }

    Draft effect(Effect e, Result r) {
        effect = e;
        result = r;
        return this;
    }

    Draft audit(String action, String cause, Map<String, String> details) {
        audits.add(new Plan.Audit(action, cause, details));
        return this;
    }

    Draft signal(Plan.Signal.Kind kind, String result, String reason) {
        signals.add(new Plan.Signal(kind, result, reason));
        return this;
    }
}
