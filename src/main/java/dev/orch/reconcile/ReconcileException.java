package dev.orch.reconcile;

import dev.orch.state.Reason;

/** A reconcile could not do its step; the control loop records it on the app and retries with backoff. */
public class ReconcileException extends RuntimeException {
    private final Reason reason;

    public ReconcileException(String message) {
        this(Reason.RECONCILE_ERROR, message, null);
    }

    public ReconcileException(String message, Throwable cause) {
        this(Reason.RECONCILE_ERROR, message, cause);
    }

    public ReconcileException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** The reason of the Degraded condition and event the failure is recorded as. */
    public Reason reason() {
        return reason;
    }
}
