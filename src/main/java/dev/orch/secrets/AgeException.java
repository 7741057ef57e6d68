package dev.orch.secrets;

/** age refused (wrong key, tampered input) or could not run; the message never carries plain text. */
public final class AgeException extends RuntimeException {
    public AgeException(String message) {
        super(message);
    }
}
