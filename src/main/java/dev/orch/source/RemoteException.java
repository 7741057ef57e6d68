package dev.orch.source;

/**
 * A fetch that failed for a reason outside orch: the remote, the network, credentials or the history.
 *
 * @see Reason
 */
public final class RemoteException extends Exception {
    /** CamelCase reasons, used as the repository condition's reason. */
    public enum Reason {
        Unreachable,
        AuthenticationFailed,
        BranchNotFound,
        HistoryRewritten,
        CorruptFetch,
        FetchFailed
    }

    private final Reason reason;

    public RemoteException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
