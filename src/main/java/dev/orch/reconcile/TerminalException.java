package dev.orch.reconcile;

import dev.orch.state.Reason;

/** A failure retrying cannot fix (no free port left): the app is Stalled until its desired state changes. */
public final class TerminalException extends ReconcileException {
    private final Reason reason;

    public TerminalException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
