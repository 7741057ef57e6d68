package dev.orch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record VersionInfo(String version) {}
