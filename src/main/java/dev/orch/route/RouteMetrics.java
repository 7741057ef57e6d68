package dev.orch.route;

import dev.orch.state.Color;

/**
 * Hooks the route calls on its hot path; the metrics package turns them into meters. Implementations
 * must be thread-safe, cheap and non-blocking (they run on Vert.x event loops). All methods default
 * to doing nothing, so {@link #NOOP} costs nothing.
 */
public interface RouteMetrics {

    RouteMetrics NOOP = new RouteMetrics() {};

    /** An HTTP request was accepted and will be forwarded to {@code color}. */
    default void requestStarted(String app, Color color) {}

    /**
     * An HTTP request forwarded to {@code color} ended. {@code status} is what the client got
     * (502 when the backend failed before answering, 0 when the exchange was cut after the response
     * started). Bytes are body bytes: {@code bytesIn} from the client, {@code bytesOut} to it.
     */
    default void requestEnded(String app, Color color, int status, long durationNanos, long bytesIn, long bytesOut) {}

    /** A request or connection arrived while no color was live (answered 503 or closed). */
    default void rejectedNoTarget(String app) {}

    /** A TCP connection or an upgraded (websocket) connection to {@code color} opened. */
    default void connectionOpened(String app, Color color) {}

    /** That connection closed after carrying these bytes (in: from the client, out: to the client). */
    default void connectionClosed(String app, Color color, long durationNanos, long bytesIn, long bytesOut) {}

    /** Exchanges still running on a drained color were cut because the drain timeout ended. */
    default void drainTimedOut(String app, Color color, int cut) {}
}
