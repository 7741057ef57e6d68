package dev.orch.state;

import com.fasterxml.jackson.annotation.JsonValue;

/** Who owns an app's desired state: the API ({@code orchctl apply}) or a git repository. */
public enum SourceKind {
    APPLY("apply"),
    GIT("git");

    private final String wire;

    SourceKind(String wire) {
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
