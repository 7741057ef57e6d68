package dev.orch.api;

import jakarta.ws.rs.core.Response;

/** orchd's pieces exist once start-up built them; a request that arrives earlier gets 503, not a null. */
final class Started {
    private Started() {}

    static <T> T of(T piece) {
        if (piece == null) {
            throw Problem.of(Response.Status.SERVICE_UNAVAILABLE, "orchd is still starting; try again in a moment");
        }
        return piece;
    }
}
