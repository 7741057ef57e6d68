package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The release a color runs: exactly one of {@code path} (a file on the VM) or {@code url} (fetched and
 * verified against {@code sha256}). Its content digest is part of the revision hash; the process sees the
 * local file as {@code $(ARTIFACT)} in args and as the {@code ARTIFACT} environment variable.
 */
@RegisterForReflection
public record Artifact(String path, String url, String sha256) {}
