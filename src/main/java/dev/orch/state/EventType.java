package dev.orch.state;

import com.fasterxml.jackson.annotation.JsonValue;

/** Kubernetes' event types. */
public enum EventType {
    NORMAL("Normal"),
    WARNING("Warning");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
