package dev.orch.state;

/** The condition types an app's status carries, one of each at most (Kubernetes Deployment names where they fit). */
public enum ConditionType {
    /** The live color's replicas are all ready (Kubernetes' Available). */
    AVAILABLE("Available"),
    /** A rollout is under way, finished, or cannot move (Kubernetes' Progressing). */
    PROGRESSING("Progressing"),
    /** The last reconcile failed and is retried with backoff. */
    DEGRADED("Degraded"),
    /** Nothing will move until the inputs change (terminal result, no retry). */
    STALLED("Stalled"),
    /** The owning git repository's view of the app. */
    GIT_SYNCED("GitSynced");

    private final String wire;

    ConditionType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
