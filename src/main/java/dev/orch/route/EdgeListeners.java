package dev.orch.route;

import dev.orch.manifest.HostRules;
import dev.orch.manifest.RouteSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared HTTP and HTTPS listeners: every route with {@code hosts} registers here and is found per request by
 * {@link HostMatch} (most specific host, then longest prefix). The table is an immutable snapshot behind a volatile
 * field: the request path takes no lock. The listeners are bound by the first registration and stay bound.
 */
final class EdgeListeners implements HttpService {
    /** One app's place on the shared listeners. */
    record Entry(String app, RouteSpec spec, HttpForwarder forwarder, EdgeCertificates.Files0 certificate) {}

    private final Vertx vertx;
    private final RouterOptions options;
    private final EdgeOptions edge;
    private final Map<String, Entry> byApp = new LinkedHashMap<>();
    private volatile HostMatch<Entry> table = new HostMatch<>(List.of());
    private Listener http;
    private Listener https;
    private long poller = -1;

    EdgeListeners(Vertx vertx, RouterOptions options, EdgeOptions edge) {
        this.vertx = vertx;
        this.options = options;
        this.edge = edge;
    }

    /** Serves {@code app}'s hosts; fails naming the owner when another app holds one of its host+prefix claims. */
    synchronized void register(String app, RouteSpec spec, HttpForwarder forwarder) {
        String prefix = HostRules.normalPrefix(spec.pathPrefix());
        for (String h : spec.hostNames()) {
            for (HostMatch.Claim<Entry> c : table.claims()) {
                if (c.host().equals(h) && c.prefix().equals(prefix) && !c.target().app().equals(app)) {
                    throw new RouteBindException("route of app " + app + " cannot serve " + describe(h, prefix)
                            + ": it is already routed to app " + c.target().app(), null);
                }
            }
        }
        EdgeCertificates.Files0 cert = null;
        if (spec.tls() != null) {
            try {
                cert = new EdgeCertificates.Files0(app, Path.of(spec.tls().certificateFile()), Path.of(spec.tls().privateKeyFile()));
            } catch (IOException | RuntimeException e) {
                throw new RouteBindException("route of app " + app + ": cannot read its TLS certificate: " + e.getMessage(), e);
            }
        }
        bindListeners(app);
        byApp.put(app, new Entry(app, spec, forwarder, cert));
        rebuild();
    }

    synchronized void unregister(String app) {
        if (byApp.remove(app) != null) {
            rebuild();
        }
    }

    private static String describe(String host, String prefix) {
        return prefix.equals("/") ? "host " + host : "host " + host + " with path prefix " + prefix;
    }

    private void rebuild() {
        List<HostMatch.Claim<Entry>> claims = new ArrayList<>();
        for (Entry e : byApp.values()) {
            for (String h : e.spec().hostNames()) {
                claims.add(new HostMatch.Claim<>(h, e.spec().pathPrefix(), e));
            }
        }
        table = new HostMatch<>(claims);
    }

    /** The one place the shared listeners obtain their sockets. */
    private void bindListeners(String app) {
        if (http != null) {
            return;
        }
        String host = edge.bindAddress();
        http = VertxRouter.bindShared(vertx, app, host, edge.httpPort(), options, this, null, "shared HTTP listener");
        EdgeCertificates keys = new EdgeCertificates(this::certificateFor);
        HttpService tls = new HttpService() {
            @Override
            public void handle(HttpServerRequest req, HttpConnections connections) {
                dispatch(req, connections, true);
            }

            @Override
            public void refuseUnparsable(HttpServerRequest req, HttpConnections connections) {
                EdgeListeners.this.refuseUnparsable(req, connections);
            }
        };
        try {
            https = VertxRouter.bindShared(vertx, app, host, edge.httpsPort(), options, tls,
                    o -> o.setSsl(true).setKeyCertOptions(KeyCertOptions.wrap(keys)), "shared HTTPS listener");
        } catch (RuntimeException e) {
            VertxRouter.await(http.close(), "unbind the shared HTTP listener");
            http = null;
            throw e;
        }
        poller = vertx.setPeriodic(edge.certificatePollMillis(), id -> vertx.executeBlocking(() -> {
            for (Entry e : List.copyOf(snapshot())) {
                if (e.certificate() != null) {
                    e.certificate().poll();
                }
            }
            return null;
        }, false));
    }

    private synchronized List<Entry> snapshot() {
        return List.copyOf(byApp.values());
    }

    /** The certificate files of the most specific app with TLS on this SNI name. */
    private EdgeCertificates.Files0 certificateFor(String sniHost) {
        for (HostMatch.Claim<Entry> c : table.forHost(sniHost)) {
            if (c.target().certificate() != null) {
                return c.target().certificate();
            }
        }
        return null;
    }

    int httpPort() {
        return http == null ? -1 : http.port();
    }

    int httpsPort() {
        return https == null ? -1 : https.port();
    }

    @Override
    public void handle(HttpServerRequest req, HttpConnections connections) {
        dispatch(req, connections, false);
    }

    private void dispatch(HttpServerRequest req, HttpConnections connections, boolean secure) {
        String host = req.authority() == null ? req.getHeader(HttpHeaders.HOST) : req.authority().host();
        String uri = req.uri();
        String path = req.path();
        HostMatch.Claim<Entry> c = table.match(host, path);
        if (c == null) {
            answer(req, connections, 404, null, "orch: no app is routed for host " + (host == null ? "(none)" : HostMatch.hostOnly(host))
                    + " and path " + (path == null ? "/" : path) + "\n");
            return;
        }
        Entry e = c.target();
        RouteSpec.RouteTls tls = e.spec().tls();
        if (!secure && tls != null && tls.redirect()) {
            String name = HostMatch.hostOnly(host);
            int port = httpsPort();
            String location = "https://" + name + (port == 443 ? "" : ":" + port) + uri;
            answer(req, connections, 308, location, "orch: " + location + "\n");
            return;
        }
        String forwarded = e.spec().strips() ? HostMatch.strip(c.prefix(), uri) : uri;
        String hsts = secure && tls != null && tls.hstsMaxAgeSeconds() != null ? "max-age=" + tls.hstsMaxAgeSeconds() : null;
        e.forwarder().handle(req, connections, new HttpForwarder.Edge(forwarded, secure, hsts));
    }

    private static void answer(HttpServerRequest req, HttpConnections connections, int status, String location, String body) {
        if (!connections.begin(req)) {
            req.connection().close();
            return;
        }
        var resp = req.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (location != null) {
            resp.putHeader(HttpHeaders.LOCATION, location);
        }
        resp.end(body);
    }

    @Override
    public void refuseUnparsable(HttpServerRequest req, HttpConnections connections) {
        // No app is known yet: the per-app forwarder's refusal is generic, any one would do; answer it here.
        int status = req.decoderResult().cause() instanceof io.netty.handler.codec.http.TooLongHttpHeaderException ? 431
                : req.decoderResult().cause() instanceof io.netty.handler.codec.http.TooLongHttpLineException ? 414 : 400;
        connections.refused(req);
        req.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end("orch: " + (status == 431 ? "request headers too large" : status == 414 ? "request line too long" : "malformed request") + "\n")
                .onComplete(ar -> req.connection().close());
    }

    synchronized void close() {
        if (poller >= 0) {
            vertx.cancelTimer(poller);
        }
        List<Future<Void>> all = new ArrayList<>();
        if (http != null) {
            all.add(http.close());
        }
        if (https != null) {
            all.add(https.close());
        }
        http = null;
        https = null;
        VertxRouter.await(Future.join(all), "unbind the shared listeners");
    }
}
