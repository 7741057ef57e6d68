package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public record EnvVar(String name, String value) {}
