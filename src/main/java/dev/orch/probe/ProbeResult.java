package dev.orch.probe;

/** One probe attempt: passed or not, and why (shown in status and events). */
public record ProbeResult(boolean ok, String message) {
    public static ProbeResult ok(String message) {
        return new ProbeResult(true, message);
    }

    public static ProbeResult failed(String message) {
        return new ProbeResult(false, message);
    }
}
