package dev.orch.state;

/**
 * The state directory could not be read or written (I/O error, disk full, permissions). Unusable file
 * <em>content</em> never raises this: such files are moved aside and read as absent.
 */
public class StateStoreException extends RuntimeException {
    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
