package dev.orch.route;

/**
 * Tuning of the route engine (not per app).
 *
 * @param eventLoops listener instances per route, each on its own Vert.x event loop
 * @param maxConnectionsPerBackend keep-alive pool size towards one backend (HTTP mode)
 * @param connectTimeoutMillis timeout to connect to a backend
 */
public record RouterOptions(int eventLoops, int maxConnectionsPerBackend, int connectTimeoutMillis) {
    public RouterOptions {
        if (eventLoops < 1 || maxConnectionsPerBackend < 1 || connectTimeoutMillis < 1) {
            throw new IllegalArgumentException("router options must be positive");
        }
    }

    public static RouterOptions defaults() {
        return new RouterOptions(Runtime.getRuntime().availableProcessors(), 256, 5_000);
    }
}
