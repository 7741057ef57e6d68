package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * @param replicas processes per color (each gets its own port; the route balances over them)
 * @param progressDeadlineSeconds how long a new revision may take to become ready before the rollout aborts
 * @param revisionHistoryLimit how many old revisions are kept for {@code rollout undo}
 * @param minReadySeconds how long every replica of a new revision must have been ready before it counts (and the
 *     route switches), as in Kubernetes
 * @param nodeSelector labels a host must have to run this app (null: any host)
 * @param nodeAffinity set-based host requirements (null: none)
 * @param overrides per-host-label values (null: none); resolved away before the app is stored on a host
 */
@RegisterForReflection
public record DeploymentSpec(
        int replicas,
        RouteSpec route,
        Template template,
        Strategy strategy,
        int progressDeadlineSeconds,
        int revisionHistoryLimit,
        int minReadySeconds,
        java.util.Map<String, String> nodeSelector,
        NodeAffinity nodeAffinity,
        java.util.List<SpecOverride> overrides) {
    public static final int DEFAULT_REPLICAS = 1;
    /** The most replicas per color a manifest may ask for; also the bound of a unit's replica index ({@code InstanceId}). */
    public static final int MAX_REPLICAS = 64;
    public static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
    public static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;

    public DeploymentSpec(int replicas, RouteSpec route, Template template, Strategy strategy, int progressDeadlineSeconds,
            int revisionHistoryLimit) {
        this(replicas, route, template, strategy, progressDeadlineSeconds, revisionHistoryLimit, 0, null, null, null);
    }

    /** This spec with another template, placement kept. */
    public DeploymentSpec withTemplate(Template t) {
        return new DeploymentSpec(replicas, route, t, strategy, progressDeadlineSeconds, revisionHistoryLimit, minReadySeconds, nodeSelector, nodeAffinity, overrides);
    }
}
