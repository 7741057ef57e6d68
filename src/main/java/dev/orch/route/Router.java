package dev.orch.route;

import dev.orch.manifest.RouteSpec;

/** Opens the public listeners of apps. One route per app; each route owns its port (and preview port). */
public interface Router extends AutoCloseable {

    /**
     * Binds the route's listener (and preview listener, if the spec names one) and returns once they
     * accept connections. Until {@link RouteHandle#switchTo} is called, the route answers 503 (HTTP)
     * or closes connections at once (TCP).
     *
     * @throws RouteBindException when a port is in use (by another process or another route)
     */
    RouteHandle open(String app, RouteSpec spec);

    /** Closes every route this router opened. */
    @Override
    void close();
}
