package dev.orch.cli;

/** A failure the user can act on; its message is the whole one-line story (what, why, what to do). */
public class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }

    public CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
