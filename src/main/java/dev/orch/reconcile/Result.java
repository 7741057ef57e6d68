package dev.orch.reconcile;

import dev.orch.state.Reason;
import java.time.Duration;

/**
 * What the control loop does with an app after a pass, as in controller-runtime: done (look again at the next
 * resync or when something changes), requeue after a delay, or terminal (stalled until the inputs change).
 * Retry with backoff is the fourth outcome: the pass throws.
 */
public sealed interface Result {
    Done DONE = new Done();
    RequeueAfter NOW = new RequeueAfter(Duration.ZERO);

    record Done() implements Result {}

    record RequeueAfter(Duration after) implements Result {
        public RequeueAfter {
            after = after.isNegative() ? Duration.ZERO : after;
        }
    }

    /** Nothing can move until desired state changes; status carries {@code Stalled=True} with the reason. */
    record Terminal(Reason reason, String message) implements Result {}

    static Result after(Duration d) {
        return new RequeueAfter(d);
    }

    /** When to look again: null for "at the next resync". */
    default Duration requeue() {
        return this instanceof RequeueAfter r ? r.after() : null;
    }
}
