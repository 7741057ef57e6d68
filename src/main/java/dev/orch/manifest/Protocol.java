package dev.orch.manifest;

import com.fasterxml.jackson.annotation.JsonValue;
import io.quarkus.runtime.annotations.RegisterForReflection;

@RegisterForReflection
public enum Protocol {
    HTTP("http"),
    TCP("tcp");

    private final String wire;

    Protocol(String wire) {
        this.wire = wire;
    }

    /** The spelling used in manifests, JSON and unit files. */
    @JsonValue
    public String wire() {
        return wire;
    }

    public static Protocol fromWire(String s) {
        for (Protocol p : values()) {
            if (p.wire.equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown protocol " + s);
    }
}
