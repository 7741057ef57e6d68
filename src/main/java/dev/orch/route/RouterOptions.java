package dev.orch.route;

/**
 * Tuning of the route engine (not per app).
 *
 * @param eventLoops listener instances per route, each on its own Vert.x event loop
 * @param maxConnectionsPerBackend keep-alive pool size towards one backend (HTTP mode)
 * @param connectTimeoutMillis timeout to connect to a backend
 * @param headerTimeoutMillis HTTP mode: a new client connection that has not sent a complete request head within
 *     this is closed (slowloris)
 * @param keepAliveTimeoutMillis HTTP mode: a client connection is closed when no complete request head follows the
 *     last response within this
 * @param responseTimeoutMillis HTTP mode: a backend that has not sent its response head within this after the request
 *     started gets the exchange cut, the client a {@code 504} (kamal-proxy's target timeout, default 30 s)
 * @param maxRequestBodyBytes HTTP mode: a request body over this is answered {@code 413}; 0 for no limit (the default,
 *     as kamal-proxy's)
 */
public record RouterOptions(int eventLoops, int maxConnectionsPerBackend, int connectTimeoutMillis,
        long headerTimeoutMillis, long keepAliveTimeoutMillis, long responseTimeoutMillis, long maxRequestBodyBytes) {
    public static final long DEFAULT_HEADER_TIMEOUT_MILLIS = 10_000;
    public static final long DEFAULT_KEEP_ALIVE_TIMEOUT_MILLIS = 75_000;
    public static final long DEFAULT_RESPONSE_TIMEOUT_MILLIS = 30_000;

    public RouterOptions {
        if (eventLoops < 1 || maxConnectionsPerBackend < 1 || connectTimeoutMillis < 1 || headerTimeoutMillis < 1
                || keepAliveTimeoutMillis < 1 || responseTimeoutMillis < 1 || maxRequestBodyBytes < 0) {
            throw new IllegalArgumentException("router options must be positive");
        }
    }

    /** The default client timeouts and limits. */
    public RouterOptions(int eventLoops, int maxConnectionsPerBackend, int connectTimeoutMillis) {
        this(eventLoops, maxConnectionsPerBackend, connectTimeoutMillis, DEFAULT_HEADER_TIMEOUT_MILLIS,
                DEFAULT_KEEP_ALIVE_TIMEOUT_MILLIS, DEFAULT_RESPONSE_TIMEOUT_MILLIS, 0);
    }

    /** These options with another response timeout and request body limit (0: none). */
    public RouterOptions withLimits(long responseTimeoutMillis, long maxRequestBodyBytes) {
        return new RouterOptions(eventLoops, maxConnectionsPerBackend, connectTimeoutMillis, headerTimeoutMillis,
                keepAliveTimeoutMillis, responseTimeoutMillis, maxRequestBodyBytes);
    }

    public static RouterOptions defaults() {
        return new RouterOptions(Runtime.getRuntime().availableProcessors(), 256, 5_000);
    }

    /** These options with other client timeouts. */
    public RouterOptions withClientTimeouts(long headerTimeoutMillis, long keepAliveTimeoutMillis) {
        return new RouterOptions(eventLoops, maxConnectionsPerBackend, connectTimeoutMillis, headerTimeoutMillis,
                keepAliveTimeoutMillis, responseTimeoutMillis, maxRequestBodyBytes);
    }
}
