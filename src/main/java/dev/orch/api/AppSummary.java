package dev.orch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * One row of {@code orchctl get apps}.
 *
 * @param live the color receiving traffic, or null before the first switch
 * @param revision the live revision number (0 when none)
 * @param ready ready replicas of the live color over desired replicas, e.g. {@code 2/2}
 * @param status one word: Available, Progressing, Degraded, Failed, Pending
 */
@RegisterForReflection
public record AppSummary(String name, String live, long revision, String ready, String status, Instant created) {}
