package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * One entry of {@code spec.overrides}: on a host whose labels include all of {@code nodeSelector}, these values
 * replace the manifest's (env entries by name, the others whole). Null fields change nothing.
 *
 * @param nodeSelector the labels a host must have for this entry to apply (never empty)
 * @param replicas replaces {@code spec.replicas}
 * @param route replaces {@code spec.route.port}
 * @param artifact replaces {@code spec.template.artifact}
 * @param env each entry replaces the variable of its name in {@code spec.template.env}, or is added
 */
@RegisterForReflection
public record SpecOverride(Map<String, String> nodeSelector, Integer replicas, Route route, Artifact artifact, List<EnvVar> env) {
    public SpecOverride {
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
    }

    @RegisterForReflection
    public record Route(Integer port) {}
}
