package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where the credentials for downloading an artifact URL are: exactly one of a file holding a bearer token or a
 * file holding {@code user:password} for basic auth. Only file names are in the manifest (and so in git and in
 * the revision hash); the secret itself stays on the VM.
 */
@RegisterForReflection
public record ArtifactAuth(String bearerTokenFile, String basicAuthFile) {}
