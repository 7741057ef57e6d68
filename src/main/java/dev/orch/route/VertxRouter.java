package dev.orch.route;

import dev.orch.manifest.Protocol;
import dev.orch.manifest.RouteSpec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.BindException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Vert.x route engine. The daemon passes Quarkus' {@link Vertx}; tests pass their own.
 *
 * <p>Vert.x shares a server among all listeners of one Vertx instance that bind the same host and port,
 * silently splitting connections between them. So this router refuses a port that another of its routes
 * already holds instead of letting two apps share one.
 */
public final class VertxRouter implements Router {
    private static final long BIND_TIMEOUT_SECONDS = 30;

    private final Vertx vertx;
    private final RouteMetrics metrics;
    private final RouterOptions options;
    /** port -> app holding it (main or preview listener). */
    private final Map<Integer, String> ports = new ConcurrentHashMap<>();
    private final Map<String, VertxRoute> routes = new ConcurrentHashMap<>();
    private final EdgeListeners edge;

    public VertxRouter(Vertx vertx, RouteMetrics metrics, RouterOptions options) {
        this(vertx, metrics, options, EdgeOptions.defaults());
    }

    /** @param edge where the shared listeners of routes with {@code hosts} bind */
    public VertxRouter(Vertx vertx, RouteMetrics metrics, RouterOptions options, EdgeOptions edge) {
        this.vertx = vertx;
        this.metrics = metrics == null ? RouteMetrics.NOOP : metrics;
        this.options = options == null ? RouterOptions.defaults() : options;
        this.edge = new EdgeListeners(vertx, this.options, edge == null ? EdgeOptions.defaults() : edge);
    }

    /** The shared HTTP listener's port, -1 before a route with hosts opened. */
    public int sharedHttpPort() {
        return edge.httpPort();
    }

    /** The shared HTTPS listener's port, -1 before a route with hosts opened. */
    public int sharedHttpsPort() {
        return edge.httpsPort();
    }

    public VertxRouter(Vertx vertx) {
        this(vertx, RouteMetrics.NOOP, RouterOptions.defaults());
    }

    @Override
    public RouteHandle open(String app, RouteSpec spec) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("Router.open blocks until bound: call it from a worker thread");
        }
        Protocol protocol = spec.protocol() == null ? Protocol.HTTP : spec.protocol();
        String host = spec.bindAddress() == null ? RouteSpec.DEFAULT_BIND_ADDRESS : spec.bindAddress();
        if (routes.containsKey(app)) {
            throw new IllegalStateException("route of " + app + " is already open");
        }
        List<Integer> claimed = new ArrayList<>();
        try {
            claim(app, spec.port(), host, claimed);
            if (spec.previewPort() != null) {
                if (spec.previewPort() == spec.port() && spec.port() != 0) {
                    throw new RouteBindException("route of app " + app + ": preview port must differ from port " + spec.port(), null);
                }
                claim(app, spec.previewPort(), host, claimed);
            }
            VertxRoute route = new VertxRoute(app, vertx, protocol, Math.max(0, spec.drainTimeoutSeconds()), options, metrics,
                    () -> {
                        edge.unregister(app);
                        release(app, claimed);
                    });
            Listener main = bindOrExplain(app, protocol, host, spec.port(), route, route.liveSlot(), route.canarySlot(), "live");
            Listener preview = null;
            if (spec.previewPort() != null) {
                try {
                    preview = bindOrExplain(app, protocol, host, spec.previewPort(), route, route.idleSlot(), null, "idle (preview)");
                } catch (RuntimeException e) {
                    await(main.close(), "unbind " + app);
                    throw e;
                }
            }
            if (!spec.hostNames().isEmpty() && protocol == Protocol.HTTP) {
                try {
                    edge.register(app, spec, new HttpForwarder(app, route.liveSlot(), route.canarySlot(), route.hooks(), "live", options));
                } catch (RuntimeException e) {
                    await(Future.join(main.close(), preview == null ? Future.succeededFuture() : preview.close()), "unbind " + app);
                    throw e;
                }
            }
            route.bound(main, preview);
            routes.put(app, route);
            return route;
        } catch (RuntimeException e) {
            release(app, claimed);
            throw e;
        }
    }

    private void claim(String app, int port, String host, List<Integer> claimed) {
        if (port == 0) {
            return; // an ephemeral port cannot collide
        }
        String holder = ports.putIfAbsent(port, app);
        if (holder != null) {
            throw new RouteBindException("route of app " + app + " cannot listen on " + host + ":" + port
                    + ": port already in use by the route of app " + holder, null);
        }
        claimed.add(port);
    }

    private void release(String app, List<Integer> claimed) {
        for (Integer p : claimed) {
            ports.remove(p, app);
        }
        routes.remove(app);
    }

    private Listener bindOrExplain(String app, Protocol protocol, String host, int port, VertxRoute route,
            java.util.concurrent.atomic.AtomicReference<ColorTarget> slot,
            java.util.concurrent.atomic.AtomicReference<VertxRoute.CanaryTarget> canary, String what) {
        Future<Listener> f = Listener.bind(vertx, app, protocol, host, port, options, slot, canary, route.hooks(), what);
        try {
            return f.toCompletionStage().toCompletableFuture().get(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof BindException || String.valueOf(cause.getMessage()).contains("in use")
                    ? "address already in use (another process listens there)"
                    : String.valueOf(cause.getMessage());
            throw new RouteBindException("route of app " + app + " cannot listen on " + host + ":" + port + ": " + why, cause);
        } catch (TimeoutException e) {
            throw new RouteBindException("route of app " + app + " did not bind " + host + ":" + port + " within "
                    + BIND_TIMEOUT_SECONDS + "s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouteBindException("interrupted while binding the route of app " + app, e);
        }
    }

    /** Binds a shared listener, blocking; a failure is a {@link RouteBindException} naming the address. */
    static Listener bindShared(Vertx vertx, String app, String host, int port, RouterOptions options, HttpService service,
            java.util.function.Consumer<io.vertx.core.http.HttpServerOptions> customize, String what) {
        Future<Listener> f = Listener.bindHttp(vertx, host, port, options, service, customize);
        try {
            return f.toCompletionStage().toCompletableFuture().get(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause instanceof BindException || String.valueOf(cause.getMessage()).contains("in use")
                    ? "address already in use (another process listens there)"
                    : String.valueOf(cause.getMessage());
            throw new RouteBindException("route of app " + app + " needs the " + what + " on " + host + ":" + port + ": " + why, cause);
        } catch (TimeoutException e) {
            throw new RouteBindException("the " + what + " did not bind " + host + ":" + port, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RouteBindException("interrupted while binding the " + what, e);
        }
    }

    static void await(Future<?> f, String what) {
        try {
            f.toCompletionStage().toCompletableFuture().get(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (VertxRoute r : List.copyOf(routes.values())) {
            r.close();
        }
        edge.close();
    }
}
