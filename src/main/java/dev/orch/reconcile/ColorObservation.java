package dev.orch.reconcile;

/**
 * What one color looks like right now, from the service driver and the probes.
 *
 * @param installed every replica's unit exists
 * @param current every unit is exactly what orch renders for the color's stored revision (no hand edits)
 * @param replicas how many replicas the color's revision has (0 when it runs nothing)
 * @param active replicas whose unit is active (running)
 * @param ready replicas that pass readiness (equals active when there is no readiness probe)
 * @param stopped replicas whose unit is inactive or failed (not running and not about to restart)
 * @param detail why not ready, for conditions and events (last probe message, unit state); may be empty
 */
public record ColorObservation(boolean installed, boolean current, int replicas, int active, int ready, int stopped, String detail) {
    public static final ColorObservation NONE = new ColorObservation(false, false, 0, 0, 0, 0, "");

    public boolean allReady() {
        return replicas > 0 && ready >= replicas;
    }

    public boolean allActive() {
        return replicas > 0 && active >= replicas;
    }
}
