package dev.orch.reconcile;

/** What the control loop reports as it works; the metrics package turns these into meters. */
public interface ReconcileHooks {
    ReconcileHooks NOOP = new ReconcileHooks() {};

    /** A rollout ended: {@code complete}, {@code aborted} (deadline or superseded). */
    default void rolloutEnded(String app, String result, String reason) {}

    /** orch corrected a change made outside it: {@code unit_rewritten}, {@code unit_started}, {@code route_corrected}. */
    default void driftCorrected(String app, String kind) {}

    /** One reconcile ran: {@code success}, {@code requeue} or {@code error}. */
    default void reconciled(String app, String result, long durationNanos) {}
}
