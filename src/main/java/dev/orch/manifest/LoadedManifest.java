package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A valid manifest and where it came from.
 *
 * @param deployment validated, with every default filled in
 * @param file the source name (as in {@link ManifestError#file()})
 * @param line 1-based line where the document's content starts
 */
@RegisterForReflection
public record LoadedManifest(Deployment deployment, String file, int line) {
    /** {@code file:line}, for messages. */
    public String location() {
        return file + ":" + line;
    }
}
