package dev.orch.route;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.atomic.AtomicReference;

/**
 * HTTP mode: every request reads the slot once, takes a reference on that target for its whole life and is
 * forwarded on the target's keep-alive pool. Bodies stream both ways with backpressure (never buffered
 * whole); websocket upgrades become a {@link Tunnel}. A request {@link RequestChecks} refuses, or one the decoder
 * could not parse, is answered by the route and closes its connection: it never reaches a backend.
 */
final class HttpForwarder implements HttpService {
    private static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("x-forwarded-for");
    private static final CharSequence X_FORWARDED_PROTO = HttpHeaders.createOptimized("x-forwarded-proto");
    private static final CharSequence X_FORWARDED_HOST = HttpHeaders.createOptimized("x-forwarded-host");
    private static final CharSequence HTTP = HttpHeaders.createOptimized("http");
    private static final CharSequence HTTPS = HttpHeaders.createOptimized("https");
    private static final CharSequence HSTS = HttpHeaders.createOptimized("strict-transport-security");
    private static final CharSequence[] HOP_BY_HOP = {
        HttpHeaders.CONNECTION, HttpHeaders.KEEP_ALIVE, HttpHeaders.createOptimized("proxy-connection"),
        HttpHeaders.PROXY_AUTHENTICATE, HttpHeaders.PROXY_AUTHORIZATION, HttpHeaders.createOptimized("te"), HttpHeaders.createOptimized("trailer"),
        HttpHeaders.TRANSFER_ENCODING, HttpHeaders.UPGRADE,
    };

    private final String app;
    private final AtomicReference<ColorTarget> slot;
    /** The main listener's canary split (null on the preview listener). */
    private final AtomicReference<VertxRoute.CanaryTarget> canary;
    private final RouteMetrics metrics;
    private final String noTargetBody;
    private final long responseTimeoutMillis;
    private final long maxBody;

    HttpForwarder(String app, AtomicReference<ColorTarget> slot, AtomicReference<VertxRoute.CanaryTarget> canary, RouteMetrics metrics,
            String what, RouterOptions options) {
        this.responseTimeoutMillis = options.responseTimeoutMillis();
        this.maxBody = options.maxRequestBodyBytes();
        this.app = app;
        this.slot = slot;
        this.canary = canary;
        this.metrics = metrics;
        this.noTargetBody = "orch: no " + what + " color for app " + app + "\n";
    }

    @Override
    public void handle(HttpServerRequest req, HttpConnections connections) {
        handle(req, connections, null);
    }

    /**
     * How a request from the shared listeners differs: the URI to forward (prefix stripped or not), the scheme it
     * came in on, and the HSTS header its response gets (null for none).
     */
    record Edge(String uri, boolean https, String hsts) {}

    /** @param edge null on the app's own listener */
    void handle(HttpServerRequest req, HttpConnections connections, Edge edge) {
        if (!connections.begin(req)) {
            req.connection().close(); // pipelined behind a refused request: dropped with its connection
            return;
        }
        RequestChecks.Refusal refusal = RequestChecks.refusal(req.version(), req.uri(), req.headers());
        if (refusal != null) {
            refuse(req, connections, refusal.status(), refusal.reason());
            return;
        }
        if (maxBody > 0 && parseLength(req.getHeader(HttpHeaders.CONTENT_LENGTH)) > maxBody) {
            refuse(req, connections, 413, "request body larger than " + maxBody + " bytes");
            return;
        }
        VertxRoute.CanaryTarget split = canary == null ? null : canary.get();
        ColorTarget t = null;
        CanarySplit.Choice choice = null;
        if (split != null) {
            choice = split.split().choose(req.headers().getAll(HttpHeaders.COOKIE));
            if (choice.color() == split.split().canary()) {
                t = ColorTarget.acquire(split.target()); // null once the canary ended: the live color serves it
            }
        }
        if (t == null) {
            t = ColorTarget.acquire(slot);
        }
        if (t == null) {
            metrics.rejectedNoTarget(app);
            req.response()
                    .setStatusCode(503)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                    .putHeader(HttpHeaders.RETRY_AFTER, "1")
                    .end(noTargetBody);
            return;
        }
        req.pause();
        // the cookie only when the client got the color it names (not when the canary ended meanwhile)
        new Exchange(req, t, edge, choice != null && t.color == choice.color() ? choice.setCookie() : null).start();
    }

    @Override
    public void refuseUnparsable(HttpServerRequest req, HttpConnections connections) {
        Throwable cause = req.decoderResult().cause();
        if (cause instanceof TooLongHttpLineException) {
            refuse(req, connections, 414, "request line too long");
        } else if (cause instanceof TooLongHttpHeaderException) {
            refuse(req, connections, 431, "request headers too large");
        } else {
            refuse(req, connections, 400, "malformed request");
        }
    }

    /** Answers at once and closes the connection, so nothing read after this request is served. */
    private void refuse(HttpServerRequest req, HttpConnections connections, int status, String reason) {
        connections.refused(req);
        req.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end("orch: " + reason + "\n")
                .onComplete(ar -> req.connection().close());
    }

    /** One request's life; all its callbacks run on the frontend connection's event loop. */
    private final class Exchange {
        private final HttpServerRequest req;
        private final HttpServerResponse resp;
        private final ColorTarget target;
        private final Edge edge;
        /** The canary cookie to answer with, or null. */
        private final String setCookie;
        private final long started = System.nanoTime();
        private HttpClientRequest upstream;
        private long bytesIn;
        private long bytesOut;
        /** Declared body sizes, -1 when unknown: the last chunk is then sent with end() in one write. */
        private long requestLength = -1;
        private long responseLength = -1;
        private boolean requestSent;
        private boolean done;
        private long timer = -1;

        Exchange(HttpServerRequest req, ColorTarget target, Edge edge, String setCookie) {
            this.edge = edge;
            this.req = req;
            this.resp = req.response();
            this.target = target;
            this.setCookie = setCookie;
        }

        void start() {
            metrics.requestStarted(app, target.color);
            RequestOptions o = new RequestOptions()
                    .setServer(target.pick())
                    .setMethod(req.method())
                    .setURI(edge == null ? req.uri() : edge.uri());
            resp.closeHandler(v -> frontendGone());
            timer = io.vertx.core.Vertx.currentContext().owner().setTimer(responseTimeoutMillis, id -> timedOut());
            if (isWebSocketUpgrade()) {
                target.http.request(o).onComplete(this::upgrade);
            } else {
                target.http.request(o).onComplete(this::send);
            }
        }

        private boolean isWebSocketUpgrade() {
            String up = req.getHeader(HttpHeaders.UPGRADE);
            return up != null && up.equalsIgnoreCase("websocket") && req.method() == HttpMethod.GET;
        }

        /** The upstream request, or null when the exchange already ended or the backend could not be reached. */
        private HttpClientRequest connected(AsyncResult<HttpClientRequest> ar) {
            if (done) {
                if (ar.succeeded()) {
                    ar.result().reset();
                }
                return null;
            }
            if (ar.failed()) {
                fail(ar.cause());
                return null;
            }
            upstream = ar.result();
            return upstream;
        }

        private void send(AsyncResult<HttpClientRequest> ar) {
            HttpClientRequest up = connected(ar);
            if (up == null) {
                return;
            }
            up.exceptionHandler(this::fail); // also keeps Vert.x from logging failures we handle
            copyRequestHeaders(up, true);
            String te = req.getHeader(HttpHeaders.TRANSFER_ENCODING);
            if (te != null && te.toLowerCase().contains("chunked")) {
                up.setChunked(true);
            }
            requestLength = parseLength(req.getHeader(HttpHeaders.CONTENT_LENGTH));
            up.response().onComplete(this::respond);
            req.handler(this::fromClient);
            req.endHandler(v -> {
                if (!requestSent) {
                    up.end();
                }
            });
            req.exceptionHandler(e -> frontendGone());
            req.resume();
        }

        private void fromClient(Buffer b) {
            bytesIn += b.length();
            HttpClientRequest up = upstream;
            if (maxBody > 0 && bytesIn > maxBody) {
                tooLarge();
                return;
            }
            if (bytesIn == requestLength) {
                requestSent = true;
                up.end(b);
                return;
            }
            up.write(b);
            if (up.writeQueueFull()) {
                req.pause();
                up.drainHandler(v -> req.resume());
            }
        }

        private void copyRequestHeaders(HttpClientRequest up, boolean dropHopByHop) {
            MultiMap from = req.headers();
            MultiMap to = up.headers();
            to.addAll(from);
            to.remove(HttpHeaders.HOST);
            to.remove(HttpHeaders.EXPECT); // the listener answers 100-continue itself
            if (dropHopByHop) {
                removeHopByHop(from, to);
            }
            HostAndPort authority = req.authority();
            if (authority != null) {
                up.authority(authority);
            }
            String xff = from.get(X_FORWARDED_FOR);
            SocketAddress remote = req.remoteAddress();
            String client = remote == null ? null : remote.hostAddress();
            if (client != null) {
                to.set(X_FORWARDED_FOR, xff == null ? client : xff + ", " + client);
            }
            if (!from.contains(X_FORWARDED_PROTO)) {
                to.set(X_FORWARDED_PROTO, edge != null && edge.https() ? HTTPS : HTTP);
            }
            if (!from.contains(X_FORWARDED_HOST)) {
                String host = from.get(HttpHeaders.HOST);
                if (host != null) {
                    to.set(X_FORWARDED_HOST, host);
                }
            }
        }

        private void respond(AsyncResult<HttpClientResponse> ar) {
            cancelTimer();
            if (done) {
                return;
            }
            if (ar.failed()) {
                fail(ar.cause());
                return;
            }
            HttpClientResponse r = ar.result();
            int status = r.statusCode();
            resp.setStatusCode(status);
            resp.setStatusMessage(r.statusMessage());
            MultiMap to = resp.headers();
            to.addAll(r.headers());
            removeHopByHop(r.headers(), to);
            if (setCookie != null) {
                to.add(HttpHeaders.SET_COOKIE, setCookie);
            }
            if (edge != null && edge.hsts() != null && !to.contains(HSTS)) {
                to.set(HSTS, edge.hsts());
            }
            boolean bodyless = req.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
            if (!bodyless) {
                responseLength = parseLength(to.get(HttpHeaders.CONTENT_LENGTH));
                if (responseLength < 0) {
                    resp.setChunked(true);
                }
            }
            r.handler(b -> fromBackend(r, b));
            r.exceptionHandler(this::fail);
            r.endHandler(v -> {
                if (done) {
                    return;
                }
                if (!resp.ended()) {
                    if (resp.isChunked() && !r.trailers().isEmpty()) {
                        resp.trailers().addAll(r.trailers());
                    }
                    resp.end();
                }
                finish(status);
            });
        }

        private void fromBackend(HttpClientResponse r, Buffer b) {
            if (done) {
                return;
            }
            bytesOut += b.length();
            if (bytesOut == responseLength) {
                resp.end(b); // headers, body and end in one write for the usual small response
                return;
            }
            resp.write(b);
            if (resp.writeQueueFull()) {
                r.pause();
                resp.drainHandler(v -> r.resume());
            }
        }

        private void upgrade(AsyncResult<HttpClientRequest> ar) {
            HttpClientRequest up = connected(ar);
            if (up == null) {
                return;
            }
            up.exceptionHandler(this::fail); // after the upgrade the tunnel owns the sockets: fail() is then a no-op
            copyRequestHeaders(up, false); // Connection and Upgrade must reach the backend
            req.resume();
            up.connect().onComplete(cr -> {
                cancelTimer();
                if (done) {
                    return;
                }
                if (cr.failed()) {
                    fail(cr.cause());
                    return;
                }
                HttpClientResponse r = cr.result();
                if (r.statusCode() != 101) {
                    respond(cr); // the backend refused the upgrade: relay its answer
                    return;
                }
                resp.setStatusCode(101);
                resp.headers().addAll(r.headers());
                NetSocket back = r.netSocket();
                back.pause();
                req.toNetSocket().onComplete(fr -> {
                    if (fr.failed()) {
                        back.close();
                        fail(fr.cause());
                        return;
                    }
                    // From here the tunnel owns the target reference and reports the connection.
                    done = true;
                    metrics.requestEnded(app, target.color, 101, System.nanoTime() - started, 0, 0);
                    new Tunnel(app, metrics, target, fr.result(), back).start();
                });
            });
        }

        private void cancelTimer() {
            if (timer >= 0) {
                io.vertx.core.Vertx.currentContext().owner().cancelTimer(timer);
                timer = -1;
            }
        }

        /** The backend took the request but sent no response head within the response timeout. */
        private void timedOut() {
            timer = -1;
            if (done) {
                return;
            }
            HttpClientRequest up = upstream; // reset after the answer: its failure must not answer 502 first
            if (!resp.headWritten() && !resp.ended()) {
                resp.setStatusCode(504)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                        .end("orch: " + target.color + " color of app " + app + " did not answer within "
                                + responseTimeoutMillis + " ms\n");
                finish(504);
            } else {
                finish(0);
            }
            if (up != null) {
                up.reset();
            }
        }

        /** A streamed (chunked) body went over the limit: 413, and the connection closes (the rest is unread). */
        private void tooLarge() {
            if (done) {
                return;
            }
            cancelTimer();
            HttpClientRequest up = upstream;
            req.handler(b -> {}); // the rest of the body is read and dropped until the connection closes
            if (!resp.headWritten() && !resp.ended()) {
                resp.setStatusCode(413)
                        .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                        .end("orch: request body larger than " + maxBody + " bytes\n")
                        .onComplete(ar -> req.connection().close());
                finish(413);
            } else {
                resp.reset();
                finish(0);
            }
            if (up != null) {
                up.reset();
            }
        }

        private void fail(Throwable cause) {
            if (done) {
                return;
            }
            if (upstream != null) {
                upstream.reset();
            }
            if (!resp.headWritten() && !resp.ended()) {
                resp.setStatusCode(502)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                        .end("orch: " + target.color + " color of app " + app + " failed: " + cause.getMessage() + "\n");
                finish(502);
            } else {
                resp.reset(); // the client sees the response cut, never a truncated one taken as whole
                finish(0);
            }
        }

        private void frontendGone() {
            if (done) {
                return;
            }
            if (upstream != null) {
                upstream.reset();
            }
            finish(0);
        }

        private void finish(int status) {
            if (done) {
                return;
            }
            cancelTimer();
            done = true;
            metrics.requestEnded(app, target.color, status, System.nanoTime() - started, bytesIn, bytesOut);
            target.release();
        }
    }

    private static long parseLength(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void removeHopByHop(MultiMap from, MultiMap to) {
        String connection = from.get(HttpHeaders.CONNECTION);
        if (connection != null) {
            for (String token : connection.split(",")) {
                to.remove(token.trim());
            }
        }
        for (CharSequence h : HOP_BY_HOP) {
            to.remove(h);
        }
    }
}
