package dev.orch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What one color runs and how ready it is, as the control loop last observed it.
 *
 * @param ready replicas passing readiness; {@code active} replicas whose unit runs
 * @param detail why not all are ready (probe message, unit state), empty otherwise
 */
@RegisterForReflection
public record ColorStatus(String color, int revision, int replicas, int active, int ready, boolean live, String detail) {}
