package dev.orch.route;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * One listener instance on one event loop. A route deploys several instances on the same address;
 * Vert.x then spreads accepted connections over their event loops.
 */
final class ListenerVerticle extends AbstractVerticle {
    private final String host;
    private final int port;
    private final HttpService http;
    private final java.util.function.Consumer<HttpServerOptions> customize;
    private final Handler<NetSocket> tcp;
    private final RouterOptions options;
    private volatile int actualPort;

    private ListenerVerticle(String host, int port, HttpService http, Handler<NetSocket> tcp, RouterOptions options,
            java.util.function.Consumer<HttpServerOptions> customize) {
        this.customize = customize;
        this.host = host;
        this.port = port;
        this.http = http;
        this.tcp = tcp;
        this.options = options;
    }

    static ListenerVerticle http(String host, int port, HttpService handler, RouterOptions options) {
        return new ListenerVerticle(host, port, handler, null, options, null);
    }

    /** An HTTP listener whose server options {@code customize} adjusts (TLS on the shared HTTPS listener). */
    static ListenerVerticle http(String host, int port, HttpService handler, RouterOptions options,
            java.util.function.Consumer<HttpServerOptions> customize) {
        return new ListenerVerticle(host, port, handler, null, options, customize);
    }

    static ListenerVerticle tcp(String host, int port, Handler<NetSocket> handler) {
        return new ListenerVerticle(host, port, null, handler, null, null);
    }

    int actualPort() {
        return actualPort;
    }

    @Override
    public void start(Promise<Void> started) {
        if (http != null) {
            HttpServerOptions o = new HttpServerOptions()
                    .setHost(host)
                    .setPort(port)
                    .setTcpNoDelay(true)
                    .setHandle100ContinueAutomatically(true)
                    // no h2c upgrade (nginx does none either): a "Connection: Upgrade, Upgrade: h2c" request, java.net.http's
                    // default, stays an HTTP/1.1 request. Upgraded, its HTTP/1 response's close handler could fire mid-exchange
                    // and reset the backend connection (a 502 under load, seen in JourneyIT).
                    .setHttp2ClearTextEnabled(false);
            if (customize != null) {
                customize.accept(o);
            }
            HttpConnections connections = new HttpConnections(vertx, options);
            vertx.createHttpServer(o)
                    .connectionHandler(connections::opened)
                    .invalidRequestHandler(req -> http.refuseUnparsable(req, connections))
                    .requestHandler(req -> http.handle(req, connections))
                    .listen()
                    .onComplete(ar -> {
                if (ar.succeeded()) {
                    actualPort = ar.result().actualPort();
                    started.complete();
                } else {
                    started.fail(ar.cause());
                }
            });
        } else {
            NetServerOptions o = new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true);
            vertx.createNetServer(o).connectHandler(tcp).listen().onComplete(ar -> {
                if (ar.succeeded()) {
                    actualPort = ar.result().actualPort();
                    started.complete();
                } else {
                    started.fail(ar.cause());
                }
            });
        }
    }
}
