package dev.orch.state;

import com.fasterxml.jackson.annotation.JsonValue;

/** The two slots an app runs in; one is live (gets traffic), the other idle (gets the next revision). */
public enum Color {
    BLUE("blue"),
    GREEN("green");

    private final String wire;

    Color(String wire) {
        this.wire = wire;
    }

    /** Lower-case spelling used in unit names, JSON, metrics labels and the CLI. */
    @JsonValue
    public String wire() {
        return wire;
    }

    public Color other() {
        return this == BLUE ? GREEN : BLUE;
    }

    public static Color fromWire(String s) {
        for (Color c : values()) {
            if (c.wire.equals(s)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown color \"" + s + "\": use blue or green");
    }

    @Override
    public String toString() {
        return wire;
    }
}
