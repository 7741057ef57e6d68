package dev.orch.state;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Steps of the persisted blue/green state machine (DESIGN.md section 5), in order; {@link #COMPLETE} and
 * {@link #ABORTED} end a rollout.
 */
public enum RolloutPhase {
    /** Writing units and environment files for the idle color. */
    PREPARING("Preparing"),
    /** Starting the idle color's units. */
    STARTING("Starting"),
    /** Waiting for readiness, bounded by the rollout deadline. */
    WAITING_READY("WaitingReady"),
    /** Flipping the route to the new color. */
    SWITCHING("Switching"),
    /** A canary: the route splits new requests between the live color and the new one, step by step. */
    CANARY("Canary"),
    /** The old color finishes in-flight work before it is stopped (or kept warm). */
    DRAINING("Draining"),
    /** The bake or canary failed or was aborted: the route went back to the old color; the new one is stopped next. */
    ROLLING_BACK("RollingBack"),
    COMPLETE("Complete"),
    /** The deadline passed or a step failed: the idle color was stopped, the live one untouched. */
    ABORTED("Aborted");

    private final String wire;

    RolloutPhase(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public static RolloutPhase fromWire(String s) {
        for (RolloutPhase p : values()) {
            if (p.wire.equals(s)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown rollout phase \"" + s + "\"");
    }

    public boolean terminal() {
        return this == COMPLETE || this == ABORTED;
    }

    @Override
    public String toString() {
        return wire;
    }
}
