package dev.orch.reconcile;

import dev.orch.state.Color;
import java.util.Optional;

/** What the API and the metrics may read of the loop: the last observation of each app. */
public interface ReconcileView {
    Optional<Observation> lastObservation(String app);

    /** Replicas of the color that passed readiness at the last observation (0 before the first one). */
    default int ready(String app, Color color) {
        return lastObservation(app).map(o -> o.color(color).ready()).orElse(0);
    }

    /**
     * Whether {@code color} still runs its revision with every replica ready, as the planner decides warmth
     * ({@link Planner#runsReady}); false before the first observation.
     */
    default boolean warm(String app, Color color) {
        return lastObservation(app).map(o -> Planner.runsReady(o, color)).orElse(false);
    }
}
