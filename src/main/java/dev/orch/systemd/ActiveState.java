package dev.orch.systemd;

/** systemd's ActiveState, which the process driver maps its supervisor states onto. */
public enum ActiveState {
    ACTIVE,
    RELOADING,
    INACTIVE,
    FAILED,
    ACTIVATING,
    DEACTIVATING,
    /** systemd reported something this version does not know */
    UNKNOWN;

    public static ActiveState parse(String s) {
        return switch (s) {
            case "active" -> ACTIVE;
            case "reloading" -> RELOADING;
            case "inactive" -> INACTIVE;
            case "failed" -> FAILED;
            case "activating" -> ACTIVATING;
            case "deactivating" -> DEACTIVATING;
            default -> UNKNOWN;
        };
    }

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
