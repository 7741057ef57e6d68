package dev.orch.state;

import dev.orch.manifest.Deployment;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Objects;

/**
 * One stored revision of an app ({@code apps/<app>/revisions/<number>.json}), kept for {@code rollout history}
 * and {@code rollout undo}.
 *
 * @param number 1, 2, 3... per app, never reused
 * @param hash hash of the template (like Kubernetes' pod-template-hash)
 * @param deployment the whole manifest this revision was created from
 * @param source where that manifest came from
 * @param artifactSha256 content digest of the artifact this revision runs (its copy in the artifact store), or
 *     null when the template has none
 * @param artifactVersion the release a channel artifact resolved to (e.g. {@code 1.4.2}); null otherwise
 */
@RegisterForReflection
public record Revision(int number, String hash, Deployment deployment, Source source, Instant createdAt, String artifactSha256,
        String artifactVersion) {
    public Revision {
        if (number < 1) {
            throw new IllegalArgumentException("revision numbers start at 1: " + number);
        }
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(source, "source");
    }

    public Revision(int number, String hash, Deployment deployment, Source source, Instant createdAt) {
        this(number, hash, deployment, source, createdAt, null, null);
    }

    public Revision(int number, String hash, Deployment deployment, Source source, Instant createdAt, String artifactSha256) {
        this(number, hash, deployment, source, createdAt, artifactSha256, null);
    }
}
