package dev.orch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** kubectl's answer per applied object: {@code created}, {@code configured} or {@code unchanged}. */
@RegisterForReflection
public record ApplyResult(String name, String result, long generation) {}
