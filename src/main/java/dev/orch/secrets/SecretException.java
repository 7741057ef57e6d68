package dev.orch.secrets;

/** A sealed value of a manifest did not open; the message names the field, never the value. */
public final class SecretException extends RuntimeException {
    public SecretException(String message) {
        super(message);
    }
}
