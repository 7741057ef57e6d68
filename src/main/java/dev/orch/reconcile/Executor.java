package dev.orch.reconcile;

import java.util.List;

/** Performs a plan's one side effect through the adapters, idempotently, and keeps the plan's probes running. */
public interface Executor {
    /** What an effect found out that the plan could not know: the ports a new revision got; empty otherwise. */
    record Outcome(List<Integer> ports) {
        public static final Outcome NONE = new Outcome(null);
    }

    Outcome perform(Observation o, Plan plan);
}
