package dev.orch.state;

/**
 * One vocabulary for the machine-readable reasons of conditions, waits and events. The API, the metrics and
 * the CLI compare against these, never against string literals; {@link #wire()} is what status JSON carries.
 */
public enum Reason {
    // rollout progress
    NEW_REVISION("NewRevision"),
    WARM_SWITCH("WarmSwitch"),
    NEW_REVISION_AVAILABLE("NewRevisionAvailable"),
    ROLLOUT_STARTED("RolloutStarted"),
    ROLLOUT_COMPLETE("RolloutComplete"),
    SWITCHED("Switched"),
    PROMOTED("Promoted"),
    CANARY_WEIGHT("CanaryWeight"),
    CANARY_PAUSED("CanaryPaused"),
    // waits
    WAITING_FOR_READINESS("WaitingForReadiness"),
    AWAITING_PROMOTION("AwaitingPromotion"),
    KEEPING_WARM("KeepingWarm"),
    BLOCKED("Blocked"),
    WAITING_FOR_UPLOAD("WaitingForUpload"),
    WAITING_FOR_RELEASE("WaitingForRelease"),
    // aborts
    SUPERSEDED("Superseded"),
    PROGRESS_DEADLINE_EXCEEDED("ProgressDeadlineExceeded"),
    CRASH_LOOP("CrashLoop"),
    SMOKE_CHECK_FAILED("SmokeCheckFailed"),
    SMOKE_CHECKS_PASSED("SmokeChecksPassed"),
    BAKE_FAILED("BakeFailed"),
    BAKE_PASSED("BakePassed"),
    ANALYSIS_FAILED("AnalysisFailed"),
    ABORTED("Aborted"),
    RETRIED("Retried"),
    // availability
    MINIMUM_REPLICAS_AVAILABLE("MinimumReplicasAvailable"),
    MINIMUM_REPLICAS_UNAVAILABLE("MinimumReplicasUnavailable"),
    // drift
    UNIT_REWRITTEN("UnitRewritten"),
    UNIT_STARTED("UnitStarted"),
    ROUTE_CORRECTED("RouteCorrected"),
    LIVENESS_FAILED("LivenessFailed"),
    // failures
    RECONCILE_ERROR("ReconcileError"),
    RECONCILE_SUCCEEDED("ReconcileSucceeded"),
    REVISION_MISSING("RevisionMissing"),
    NO_FREE_PORT("NoFreePort"),
    ARTIFACT_DOWNLOAD_FAILED("ArtifactDownloadFailed"),
    PORT_IN_USE("PortInUse"),
    INPUTS_CHANGED("InputsChanged"),
    SECRET_NOT_OPENED("SecretNotOpened"),
    SECRETS_ON_DISK("SecretsOnDisk"),
    // sources
    SYNCED("Synced"),
    GIT_SYNCED("GitSynced"),
    MANIFEST_ERROR("ManifestError"),
    OVERRIDDEN_BY_APPLY("OverriddenByApply"),
    ROLLED_BACK("RolledBack"),
    DELETED_BY_HAND("DeletedByHand");

    private final String wire;

    Reason(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Whether a condition or event carries this reason. */
    public boolean is(String reason) {
        return wire.equals(reason);
    }

    @Override
    public String toString() {
        return wire;
    }
}
