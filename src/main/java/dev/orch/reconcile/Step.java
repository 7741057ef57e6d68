package dev.orch.reconcile;

import dev.orch.state.Color;
import java.time.Duration;
import java.time.Instant;

/** The one thing a reconcile does next; the planner picks it, the reconciler performs and persists it. */
public sealed interface Step {
    /**
     * Begin a rollout of {@code hash} to {@code color}: a new revision from phase Preparing, or, when
     * {@code warm}, the revision the color still runs (ready) straight from phase Switching (instant
     * {@code switch} and undo to the warm color).
     */
    record StartRollout(Color color, String hash, Instant deadline, boolean warm) implements Step {
        public StartRollout(Color color, String hash, Instant deadline) {
            this(color, hash, deadline, false);
        }
    }

    /** Write (or rewrite) the color's unit files for its revision and reload. */
    record InstallUnits(Color color, String reason) implements Step {}

    /** Start the color's units. */
    record StartUnits(Color color, String reason) implements Step {}

    /** Point the route at {@code color} (atomic swap; the other color drains). */
    record SwitchRoute(Color color) implements Step {}

    /** Open or re-open the route listener as the manifest says. */
    record OpenRoute() implements Step {}

    /** The old color has drained and its keep-warm time is over: stop it, mark the rollout complete. */
    record FinishRollout() implements Step {}

    /** Stop the rollout's color, leave the live color alone, record why. */
    record AbortRollout(String reason, String message) implements Step {}

    /** The app was deleted: close the route, stop and remove both colors, archive its state. */
    record RemoveApp() implements Step {}

    /** Nothing can move now; say why (as a condition) and look again after {@code after}. */
    record Wait(Duration after, String reason, String message) implements Step {}

    /** Converged: look again at the next resync. */
    record Idle() implements Step {}
}
