package dev.orch.notify;

import java.util.Locale;

/** How bad an event is; a receiver gets events at or above its configured severity. */
public enum Severity {
    INFO, WARNING, ERROR;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity parse(String key, String value) {
        for (Severity s : values()) {
            if (s.wire().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException(key + "=\"" + value + "\" is invalid: use info, warning or error");
    }
}
