package dev.orch.reconcile;

import dev.orch.state.Color;
import dev.orch.state.Traffic;

/**
 * The app's route listener as the router has it.
 *
 * @param open a listener exists
 * @param current it listens as the desired manifest says (port, protocol, bind address, preview port)
 * @param live the color it forwards to, or null (answers 503 / refuses)
 * @param blueTraffic what the route counted for blue since it opened (the bake window judges differences)
 * @param greenTraffic the same for green
 * @param canaryWeight percent of new clients the canary split sends to the other color; 0 without a split
 */
public record RouteObservation(boolean open, boolean current, Color live, Traffic blueTraffic, Traffic greenTraffic, int canaryWeight) {
    public static final RouteObservation CLOSED = new RouteObservation(false, false, null);

    public RouteObservation {
        blueTraffic = blueTraffic == null ? Traffic.NONE : blueTraffic;
        greenTraffic = greenTraffic == null ? Traffic.NONE : greenTraffic;
    }

    /** Without traffic counted (planner tables). */
    public RouteObservation(boolean open, boolean current, Color live) {
        this(open, current, live, Traffic.NONE, Traffic.NONE, 0);
    }

    public RouteObservation(boolean open, boolean current, Color live, Traffic blueTraffic, Traffic greenTraffic) {
        this(open, current, live, blueTraffic, greenTraffic, 0);
    }

    public Traffic traffic(Color c) {
        return c == Color.BLUE ? blueTraffic : greenTraffic;
    }
}
