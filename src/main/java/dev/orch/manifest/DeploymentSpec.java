package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * @param replicas processes per color (each gets its own port; the route balances over them)
 * @param progressDeadlineSeconds how long a new revision may take to become ready before the rollout aborts
 * @param revisionHistoryLimit how many old revisions are kept for {@code rollout undo}
 * @param minReadySeconds how long every replica of a new revision must have been ready before it counts (and the
 *     route switches), as in Kubernetes
 */
@RegisterForReflection
public record DeploymentSpec(
        int replicas,
        RouteSpec route,
        Template template,
        Strategy strategy,
        int progressDeadlineSeconds,
        int revisionHistoryLimit,
        int minReadySeconds) {
    public static final int DEFAULT_REPLICAS = 1;
    /** The most replicas per color a manifest may ask for; also the bound of a unit's replica index ({@code InstanceId}). */
    public static final int MAX_REPLICAS = 64;
    public static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;
    public static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;

    public DeploymentSpec(int replicas, RouteSpec route, Template template, Strategy strategy, int progressDeadlineSeconds,
            int revisionHistoryLimit) {
        this(replicas, route, template, strategy, progressDeadlineSeconds, revisionHistoryLimit, 0);
    }
}
