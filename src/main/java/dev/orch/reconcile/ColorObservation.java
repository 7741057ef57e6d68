package dev.orch.reconcile;

import dev.orch.state.ColorState;
import dev.orch.state.Revision;
import dev.orch.systemd.InstanceId;
import dev.orch.systemd.ServiceSpec;
import java.util.List;

/**
 * What one color looks like right now, from the status cache and the probes, with what the color is meant to
 * run, rendered once so nothing downstream re-reads or re-renders it.
 *
 * @param installed every replica's unit exists
 * @param current every unit is exactly what orch renders for the color's stored revision (no hand edits)
 * @param replicas how many replicas the color's revision has (0 when it runs nothing)
 * @param active replicas whose unit is active (running)
 * @param ready replicas that pass readiness (equals active when there is no readiness probe)
 * @param stopped replicas whose unit is inactive or failed (not running and not about to restart)
 * @param detail why not ready, for conditions and events (last probe message, unit state); may be empty
 * @param state what actual.json says the color runs; null when nothing
 * @param revision that revision as stored; null when nothing runs or it is not stored (see {@link #revisionMissing})
 * @param specs the rendered service specs, one per replica; empty without a stored revision
 * @param running the replicas whose unit runs now (probes watch exactly these)
 * @param crashes how often its replicas were restarted automatically, and how the last one ended
 */
public record ColorObservation(boolean installed, boolean current, int replicas, int active, int ready, int stopped, String detail,
        ColorState state, Revision revision, List<ServiceSpec> specs, List<InstanceId> running, Crashes crashes) {
    public static final ColorObservation NONE = new ColorObservation(false, false, 0, 0, 0, 0, "");

    public ColorObservation {
        specs = specs == null ? List.of() : List.copyOf(specs);
        running = running == null ? List.of() : List.copyOf(running);
        crashes = crashes == null ? Crashes.NONE : crashes;
    }

    public ColorObservation(boolean installed, boolean current, int replicas, int active, int ready, int stopped, String detail,
            ColorState state, Revision revision, List<ServiceSpec> specs, List<InstanceId> running) {
        this(installed, current, replicas, active, ready, stopped, detail, state, revision, specs, running, Crashes.NONE);
    }

    /**
     * The replica restarted most often by the service manager (systemd's NRestarts since orch started it).
     *
     * @param unit its unit
     * @param restarts its automatic restarts
     * @param lastExit how its last main process ended (e.g. {@code exited with status 3}); empty when unknown
     * @param journal its last journal lines, oldest first; read only when a crash-loop verdict needs them
     */
    public record Crashes(String unit, int restarts, String lastExit, List<String> journal) {
        public static final Crashes NONE = new Crashes("", 0, "", List.of());

        public Crashes {
            journal = journal == null ? List.of() : List.copyOf(journal);
        }
    }

    /** Counts only (planner tables). */
    public ColorObservation(boolean installed, boolean current, int replicas, int active, int ready, int stopped, String detail) {
        this(installed, current, replicas, active, ready, stopped, detail, null, null, List.of(), List.of());
    }

    public boolean allReady() {
        return replicas > 0 && ready >= replicas;
    }

    public boolean allActive() {
        return replicas > 0 && active >= replicas;
    }

    /** The color runs a revision number that is not stored (so its units cannot be rendered). */
    public boolean revisionMissing() {
        return state != null && revision == null;
    }
}
