package dev.orch.reconcile;

import dev.orch.state.Color;

/**
 * The app's route listener as the router has it.
 *
 * @param open a listener exists
 * @param current it listens as the desired manifest says (port, protocol, bind address, preview port)
 * @param live the color it forwards to, or null (answers 503 / refuses)
 */
public record RouteObservation(boolean open, boolean current, Color live) {
    public static final RouteObservation CLOSED = new RouteObservation(false, false, null);
}
