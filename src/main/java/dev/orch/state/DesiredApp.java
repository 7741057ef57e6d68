package dev.orch.state;

import dev.orch.manifest.Deployment;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Objects;

/**
 * What the owning source last asked for ({@code apps/<app>/desired.json}).
 *
 * @param deployment the validated manifest, defaults filled in
 * @param source where it came from
 * @param generation 1 on creation, +1 on every change of {@code deployment} or {@code source}
 * @param createdAt when the app was first received
 * @param updatedAt when {@code generation} last changed
 * @param artifactSha256 set by {@code rollout undo} and {@code switch}: run the artifact copy with this digest
 *     (the revision's own) instead of whatever the artifact path holds now; null normally
 */
@RegisterForReflection
public record DesiredApp(
        Deployment deployment, Source source, long generation, Instant createdAt, Instant updatedAt, String artifactSha256) {
    public DesiredApp {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(source, "source");
    }

    public DesiredApp(Deployment deployment, Source source, long generation, Instant createdAt, Instant updatedAt) {
        this(deployment, source, generation, createdAt, updatedAt, null);
    }

    public String name() {
        return deployment.name();
    }
}
