package dev.orch.smoke;

/**
 * What sending the smoke checks found.
 *
 * @param sent requests sent (up to and including the failed one)
 * @param failure the first check that did not get its status, e.g. {@code GET /smoke via the preview listener
 *     127.0.0.1:8081: expected status 200, got 500}; null when every answer had its expected status
 */
public record SmokeReport(int sent, String failure) {
    public boolean passed() {
        return failure == null;
    }
}
