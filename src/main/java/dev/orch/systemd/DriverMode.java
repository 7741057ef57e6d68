package dev.orch.systemd;

import java.util.Locale;

/** Config value {@code orch.driver}: {@code auto} (systemd when it is PID 1, else process), {@code systemd}, {@code process}. */
public enum DriverMode {
    AUTO,
    SYSTEMD,
    PROCESS;

    public static DriverMode parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("invalid driver \"" + s + "\": use auto, systemd or process");
        }
    }
}
