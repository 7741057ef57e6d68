package dev.orch.route;

import dev.orch.manifest.Protocol;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** A bound address forwarding to whatever target one slot (live or idle) holds. */
final class Listener {
    private final Vertx vertx;
    private final List<String> deployments = new ArrayList<>();
    private int port;

    private Listener(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Binds {@code instances} listeners on host:port. Port 0 (tests only: a route's port is fixed in
     * production) binds a single instance, because Vert.x does not share an ephemeral port between servers.
     */
    static Future<Listener> bind(Vertx vertx, String app, Protocol protocol, String host, int port, RouterOptions options,
            AtomicReference<ColorTarget> slot, AtomicReference<VertxRoute.CanaryTarget> canary, RouteMetrics metrics, String what) {
        int instances = options.eventLoops();
        Listener l = new Listener(vertx);
        var httpHandler = protocol == Protocol.TCP ? null : new HttpForwarder(app, slot, canary, metrics, what, options);
        var tcpHandler = protocol == Protocol.TCP ? new TcpForwarder(app, slot, metrics) : null;
        ListenerVerticle first = httpHandler != null
                ? ListenerVerticle.http(host, port, httpHandler, options)
                : ListenerVerticle.tcp(host, port, tcpHandler);
        return vertx.deployVerticle(first).compose(id -> {
            l.deployments.add(id);
            l.port = first.actualPort();
            if (instances <= 1 || port == 0) {
                return Future.succeededFuture(l);
            }
            int p = l.port;
            return vertx.deployVerticle(
                            () -> httpHandler != null ? ListenerVerticle.http(host, p, httpHandler, options) : ListenerVerticle.tcp(host, p, tcpHandler),
                            new DeploymentOptions().setInstances(instances - 1))
                    .map(id2 -> {
                        l.deployments.add(id2);
                        return l;
                    })
                    .recover(e -> l.close().transform(x -> Future.failedFuture(e)));
        });
    }

    /** A shared HTTP(S) listener: {@code service} dispatches; {@code customize} adjusts the server options (TLS). */
    static Future<Listener> bindHttp(Vertx vertx, String host, int port, RouterOptions options, HttpService service,
            java.util.function.Consumer<io.vertx.core.http.HttpServerOptions> customize) {
        int instances = options.eventLoops();
        Listener l = new Listener(vertx);
        ListenerVerticle first = ListenerVerticle.http(host, port, service, options, customize);
        return vertx.deployVerticle(first).compose(id -> {
            l.deployments.add(id);
            l.port = first.actualPort();
            if (instances <= 1 || port == 0) {
                return Future.succeededFuture(l);
            }
            int p = l.port;
            return vertx.deployVerticle(() -> ListenerVerticle.http(host, p, service, options, customize),
                            new DeploymentOptions().setInstances(instances - 1))
                    .map(id2 -> {
                        l.deployments.add(id2);
                        return l;
                    })
                    .recover(e -> l.close().transform(x -> Future.failedFuture(e)));
        });
    }

    int port() {
        return port;
    }

    Future<Void> close() {
        List<Future<Void>> all = new ArrayList<>();
        for (String id : deployments) {
            all.add(vertx.undeploy(id).recover(e -> Future.succeededFuture()));
        }
        deployments.clear();
        return Future.join(all).mapEmpty();
    }
}
