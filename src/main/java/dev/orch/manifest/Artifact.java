package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The release a color runs: exactly one of {@code path} (a file on the VM) or {@code url} (downloaded by orchd
 * into its artifact store and verified against {@code sha256} before anything starts). Its content digest is
 * part of the revision hash; the process sees the local copy as {@code $(ARTIFACT)} in args and as the
 * {@code ARTIFACT} environment variable.
 *
 * @param auth credentials for an http(s) {@code url} or channel, read from files; null for none
 * @param channel instead of one file: the newest release of a channel; null for none
 */
@RegisterForReflection
public record Artifact(String path, String url, String sha256, ArtifactAuth auth, ReleaseChannel channel) {
    /** One file, by path or URL. */
    public Artifact(String path, String url, String sha256, ArtifactAuth auth) {
        this(path, url, sha256, auth, null);
    }
}
