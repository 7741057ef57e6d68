package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything one load produced. A document with errors yields no manifest, but the other documents and
 * files still do; a file with a YAML syntax error or over a parse limit yields no manifest at all.
 *
 * @param manifests valid manifests, in load order (files sorted by path, documents in file order)
 * @param errors every error found, grouped by file in load order, sorted by line and column within a file
 */
@RegisterForReflection
public record LoadResult(List<LoadedManifest> manifests, List<ManifestError> errors) {
    public LoadResult {
        manifests = List.copyOf(manifests);
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** Source names that had at least one error (a GitOps source must not prune what these used to define). */
    public Set<String> failedFiles() {
        Set<String> files = new LinkedHashSet<>();
        errors.forEach(e -> files.add(e.file()));
        return files;
    }

    /** The deployments alone, in load order. */
    public List<Deployment> deployments() {
        return manifests.stream().map(LoadedManifest::deployment).toList();
    }
}
