package dev.orch.reconcile;

import dev.orch.manifest.Template;
import dev.orch.probe.ProbeWorker;
import dev.orch.state.Color;
import java.util.ArrayList;
import java.util.List;

/** Which probes a plan keeps running: the planner's decision; the executor starts and stops watches to match. */
final class ProbePlan {
    private ProbePlan() {}

    /**
     * Readiness and liveness probes for every running replica of both colors, as their revision defines them; none
     * for a color the effect stops (its watches would start again right after the stop), none for a removed app.
     */
    static List<ProbeWatch> probes(Observation o, Effect effect) {
        List<ProbeWatch> watches = new ArrayList<>();
        if (effect instanceof Effect.RemoveApp) {
            return watches;
        }
        for (Color color : Color.values()) {
            ColorObservation c = o.color(color);
            if (c.revision() == null || (effect instanceof Effect.StopColor s && s.color() == color)) {
                continue;
            }
            Template t = c.revision().deployment().spec().template();
            for (var spec : c.specs()) {
                if (!c.running().contains(spec.id())) {
                    continue;
                }
                if (t.readinessProbe() != null) {
                    watches.add(new ProbeWatch(spec.id(), ProbeWorker.Kind.READINESS, t.readinessProbe(), spec.port(), t.portEnv()));
                }
                if (t.livenessProbe() != null) {
                    watches.add(new ProbeWatch(spec.id(), ProbeWorker.Kind.LIVENESS, t.livenessProbe(), spec.port(), t.portEnv()));
                }
            }
        }
        return watches;
    }
}
