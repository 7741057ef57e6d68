package dev.orch.reconcile;

import dev.orch.manifest.RouteSpec;
import dev.orch.route.RouteHandle;
import dev.orch.state.Color;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The route handles the executor opened, by app, with the spec each was opened for: the executor writes it,
 * the observer and the status queries read it.
 */
public final class OpenRoutes {
    record Open(RouteSpec spec, RouteHandle handle) {}

    private final Map<String, Open> routes = new ConcurrentHashMap<>();

    RouteObservation observe(String app, RouteSpec desired) {
        Open r = routes.get(app);
        return r == null ? RouteObservation.CLOSED
                : new RouteObservation(true, desired != null && r.spec().equals(desired), r.handle().live().orElse(null),
                        r.handle().traffic(Color.BLUE), r.handle().traffic(Color.GREEN), r.handle().canaryWeight());
    }

    public Optional<RouteHandle> get(String app) {
        Open r = routes.get(app);
        return r == null ? Optional.empty() : Optional.of(r.handle());
    }

    void put(String app, RouteSpec spec, RouteHandle handle) {
        routes.put(app, new Open(spec, handle));
    }

    Optional<RouteHandle> remove(String app) {
        Open r = routes.remove(app);
        return r == null ? Optional.empty() : Optional.of(r.handle());
    }

    void closeAll() {
        routes.values().forEach(r -> r.handle().close());
        routes.clear();
    }
}
