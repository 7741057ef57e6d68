package dev.orch.route;

import dev.orch.state.Color;
import dev.orch.state.Traffic;
import java.util.List;
import java.util.Optional;

/** One app's open route. All methods are thread-safe and never block on the request path. */
public interface RouteHandle extends AutoCloseable {

    String app();

    /** The port the main listener is bound to (the actual one when the spec asked for port 0). */
    int port();

    /** The port of the preview listener, when there is one. */
    Optional<Integer> previewPort();

    /**
     * Atomically makes {@code color} live on {@code backends} (round-robin when there are several).
     * Requests (HTTP) or connections (TCP) that start after this returns go to the new color; those
     * already running on the old color finish there and are closed when the drain timeout ends.
     * The previous live color, if different, becomes the preview listener's target.
     */
    void switchTo(Color color, List<Backend> backends);

    /**
     * Points the preview listener at the idle color (the revision about to be tried). An empty list
     * leaves the preview with no target (it answers 503). Throws if {@code color} is the live color.
     */
    void setIdle(Color color, List<Backend> backends);

    /**
     * Splits new requests of the main listener: {@code weight} percent of new clients go to {@code color} (a canary
     * of the live color), sticky per client by the {@code orch_canary} cookie bound to {@code token}; weight 0 (or
     * no backends) ends the split, 100 % to the live color. A {@link #switchTo} ends it too. HTTP only.
     */
    default void setCanary(Color color, List<Backend> backends, int weight, String token) {
        throw new UnsupportedOperationException("this route cannot split traffic");
    }

    /** The percentage of new clients the canary split sends to the canary color now; 0 without one. */
    default int canaryWeight() {
        return 0;
    }

    /** The live color, empty before the first switch. */
    Optional<Color> live();

    /** The color the preview listener forwards to, if any. */
    Optional<Color> idle();

    /** Requests (HTTP) or connections (TCP, websockets) currently forwarded to {@code color}, drain included. */
    int inFlight(Color color);

    /**
     * What the route counted for {@code color} since it opened (HTTP requests, 5xx answers, latency histogram),
     * through both listeners; {@link Traffic#NONE} for TCP routes. The bake window judges differences of these.
     */
    default Traffic traffic(Color color) {
        return Traffic.NONE;
    }

    /** Unbinds the listeners and closes every forwarded connection. Idempotent. */
    @Override
    void close();
}
