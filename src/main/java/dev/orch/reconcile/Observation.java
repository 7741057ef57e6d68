package dev.orch.reconcile;

import dev.orch.state.ActualState;
import dev.orch.state.Color;
import dev.orch.state.DesiredApp;
import java.time.Instant;

/**
 * Everything the planner may look at for one app, gathered by the reconciler before planning.
 *
 * @param desired what the owning source asks for; null when the app was deleted
 * @param desiredHash revision hash of the desired template and artifact content; null when it cannot be
 *     computed (see {@code blocked})
 * @param blocked why no new revision can be rolled out now (e.g. the artifact file is missing); null if none
 * @param actual what orch believes is deployed ({@link ActualState#EMPTY} for a new app)
 * @param strayUnits orch-marked units of this app the driver lists although no desired state exists (only
 *     looked up for deleted apps); they are removed
 */
public record Observation(
        String app,
        DesiredApp desired,
        String desiredHash,
        String blocked,
        ActualState actual,
        ColorObservation blue,
        ColorObservation green,
        RouteObservation route,
        int strayUnits,
        Instant now) {
    public ColorObservation color(Color c) {
        return c == Color.BLUE ? blue : green;
    }
}
