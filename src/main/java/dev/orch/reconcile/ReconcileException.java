package dev.orch.reconcile;

/** A reconcile could not do its step; the control loop records it on the app and retries with backoff. */
public class ReconcileException extends RuntimeException {
    public ReconcileException(String message) {
        super(message);
    }

    public ReconcileException(String message, Throwable cause) {
        super(message, cause);
    }
}
