package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One app, as a Kubernetes-shaped {@code Deployment} manifest. Instances come from {@link ManifestLoader}
 * fully validated and with every default filled in, so consumers never re-check or re-default.
 */
@RegisterForReflection
public record Deployment(String apiVersion, String kind, ObjectMeta metadata, DeploymentSpec spec) {
    public static final String API_VERSION = "orch.dev/v1";
    public static final String KIND = "Deployment";

    public String name() {
        return metadata.name();
    }
}
