package dev.orch.systemd;

/** The service manager refused an operation or could not be reached; the message says which and why. */
public class DriverException extends RuntimeException {
    public DriverException(String message) {
        super(message);
    }

    public DriverException(String message, Throwable cause) {
        super(message, cause);
    }
}
