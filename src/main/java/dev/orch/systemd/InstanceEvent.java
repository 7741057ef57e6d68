package dev.orch.systemd;

/** A change in an instance's observed state; {@code previous} is null when first seen, {@code current} null when gone. */
public record InstanceEvent(InstanceId id, InstanceStatus previous, InstanceStatus current) {}
