package dev.orch.route;

import dev.orch.manifest.RouteSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router's side (orch-router.service): the open routes by app. Opening a route that is already open with
 * the same spec adopts it untouched, which is what a restarted orchd does for every app it finds.
 */
public final class RouteTable implements AutoCloseable {
    private record Entry(RouteSpec spec, RouteHandle handle) {}

    private final Router router;
    private final Map<String, Entry> routes = new ConcurrentHashMap<>();
    /** This run of the router: orchd notices a restart (routes forgotten) when it changes. */
    private final String instance = java.util.UUID.randomUUID().toString();

    public RouteTable(Router router) {
        this.router = router;
    }

    public synchronized RouterProtocol.Opened open(String app, RouteSpec spec) {
        Entry e = routes.get(app);
        if (e != null && e.spec().equals(spec)) {
            return new RouterProtocol.Opened(e.handle().port(), e.handle().previewPort().orElse(null), true);
        }
        if (e != null) {
            routes.remove(app).handle().close(); // a changed spec: rebind, as the embedded router does
        }
        RouteHandle h = router.open(app, spec);
        routes.put(app, new Entry(spec, h));
        return new RouterProtocol.Opened(h.port(), h.previewPort().orElse(null), false);
    }

    public Optional<RouteHandle> get(String app) {
        Entry e = routes.get(app);
        return e == null ? Optional.empty() : Optional.of(e.handle());
    }

    public synchronized boolean close(String app) {
        Entry e = routes.remove(app);
        if (e != null) {
            e.handle().close();
        }
        return e != null;
    }

    public RouterProtocol.Listing listing() {
        return new RouterProtocol.Listing(instance, routes.keySet().stream().sorted().toList());
    }

    @Override
    public void close() {
        router.close();
    }
}
