package dev.orch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Map;

/**
 * One row of {@code orchctl get apps}.
 *
 * @param live the color receiving traffic, or null before the first switch
 * @param revision the live revision number (0 when none)
 * @param ready ready replicas of the live color over desired replicas, e.g. {@code 2/2}
 * @param status one word: Available, Progressing, Degraded, Failed, Pending
 * @param hash template hash of the live revision ({@code -o wide})
 * @param route the route's listen address, e.g. {@code 0.0.0.0:8080/http} ({@code -o wide})
 * @param source {@code apply} or {@code git} ({@code -o wide})
 * @param labels the manifest's {@code metadata.labels}, for {@code get -l} selectors
 * @param release the release-channel version the live revision runs; null without a channel
 */
@RegisterForReflection
public record AppSummary(String name, String live, long revision, String ready, String status, Instant created,
        String hash, String route, String source, Map<String, String> labels, String release) {
    public AppSummary {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public AppSummary(String name, String live, long revision, String ready, String status, Instant created,
            String hash, String route, String source) {
        this(name, live, revision, ready, status, created, hash, route, source, Map.of(), null);
    }

    public AppSummary(String name, String live, long revision, String ready, String status, Instant created) {
        this(name, live, revision, ready, status, created, null, null, null);
    }
}
