package dev.orch.route;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client connections of one HTTP listener: each waits for a request head under a deadline (the header timeout
 * on a new connection, the keep-alive timeout after a response), so a half-open or trickling client (slowloris)
 * cannot hold a connection forever; none while a request is served. A connection that got a refusal serves nothing
 * more: a request pipelined behind the refused one is dropped with the connection. Every call for one connection
 * runs on its event loop.
 */
final class HttpConnections {
    private final Vertx vertx;
    private final long headerTimeoutMillis;
    private final long keepAliveTimeoutMillis;
    private final Map<HttpConnection, Waiting> connections = new ConcurrentHashMap<>();

    HttpConnections(Vertx vertx, RouterOptions router) {
        this.vertx = vertx;
        this.headerTimeoutMillis = router.headerTimeoutMillis();
        this.keepAliveTimeoutMillis = router.keepAliveTimeoutMillis();
    }

    /** One connection's state: its pending deadline, and whether it was refused. */
    private final class Waiting {
        final HttpConnection connection;
        long timer = -1;
        boolean refused;

        Waiting(HttpConnection connection) {
            this.connection = connection;
        }

        void await(long millis) {
            cancel();
            timer = vertx.setTimer(millis, id -> connection.close());
        }

        void cancel() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }
    }

    /** The server's connection handler. */
    void opened(HttpConnection connection) {
        Waiting w = new Waiting(connection);
        connections.put(connection, w);
        connection.closeHandler(v -> {
            w.cancel();
            connections.remove(connection);
        });
        w.await(headerTimeoutMillis);
    }

    /**
     * A request head arrived: its deadline is cancelled until the response ends.
     *
     * @return false when the connection was refused before: the request must not be served
     */
    boolean begin(HttpServerRequest req) {
        Waiting w = connections.get(req.connection());
        if (w == null) {
            return true;
        }
        w.cancel();
        if (w.refused) {
            return false;
        }
        req.response().endHandler(v -> w.await(keepAliveTimeoutMillis));
        return true;
    }

    /** Nothing more is served on this connection (it closes after the refusal is written). */
    void refused(HttpServerRequest req) {
        Waiting w = connections.get(req.connection());
        if (w != null) {
            w.cancel();
            w.refused = true;
        }
    }
}
