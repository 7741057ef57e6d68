package dev.orch.route;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orch.manifest.RouteSpec;
import dev.orch.state.Color;
import dev.orch.state.Traffic;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * orchd's side of {@code orch.route.mode=unit}: the routes live in orch-router.service and this drives them over
 * its control socket. They outlive orchd: {@link #close()} (daemon shutdown) leaves them serving, and a restarted
 * orchd re-opens each with the same spec, which adopts it untouched. A router that restarted (and so forgot its
 * routes) answers 404; the handle then opens the route again and repeats the call, and the reconciler's next
 * look at {@link RouteHandle#live()} puts the live color back.
 */
public final class RemoteRouter implements Router {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(RemoteRouter.class);
    private static final long TIMEOUT_SECONDS = 40; // the router waits up to 30 s for a bind

    private final Path socket;
    private final SocketAddress address;
    private final HttpClient http;
    /** The router run last seen by {@link #watchRestarts}. */
    private volatile String routerInstance;

    public RemoteRouter(Vertx vertx, Path socket) {
        this.socket = socket;
        this.address = SocketAddress.domainSocketAddress(socket.toString());
        this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000));
    }

    /** The route is not open in the router (it restarted, or never had it). */
    static final class UnknownRoute extends RuntimeException {
        UnknownRoute(String message) {
            super(message);
        }
    }

    private record Answer(int status, Buffer body) {}

    <T> T call(HttpMethod method, String path, Object body, Class<T> type) {
        RequestOptions o = new RequestOptions().setServer(address).setHost("localhost").setMethod(method).setURI(path)
                .putHeader("Content-Type", "application/json").putHeader("Accept", "application/json");
        Answer a;
        try {
            Buffer payload = body == null ? null : Buffer.buffer(JSON.writeValueAsBytes(body));
            Future<Answer> f = http.request(o)
                    .compose(req -> payload == null ? req.send() : req.send(payload))
                    .compose(resp -> resp.body().map(b -> new Answer(resp.statusCode(), b)));
            a = f.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | IOException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot reach orch-router at unix:" + socket + ": " + cause.getMessage()
                    + "; is orch-router.service running?", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling orch-router", e);
        }
        if (a.status() >= 400) {
            String detail = detail(a.body());
            switch (a.status()) {
                case 404 -> throw new UnknownRoute(detail);
                case 409 -> throw new RouteBindException(detail, null);
                default -> throw new IllegalStateException("orch-router answered " + a.status() + " to " + method + " " + path + ": " + detail);
            }
        }
        try {
            if (type == Void.class) {
                return null;
            }
            if (a.body().length() == 0) {
                // seen once in a while under load: retried by the caller's reconcile, never read as "no state"
                throw new IllegalStateException("orch-router sent an empty answer (status " + a.status() + ") to " + method + " " + path);
            }
            return JSON.readValue(a.body().getBytes(), type);
        } catch (IOException e) {
            throw new IllegalStateException("orch-router sent an unreadable answer to " + method + " " + path + ": " + e.getMessage(), e);
        }
    }

    private static String detail(Buffer body) {
        try {
            JsonNode n = JSON.readTree(body.getBytes());
            return n.path("detail").asText(body.toString());
        } catch (IOException | RuntimeException e) {
            return body.toString();
        }
    }

    @Override
    public RouteHandle open(String app, RouteSpec spec) {
        RouterProtocol.Opened o = call(HttpMethod.PUT, RouterProtocol.PREFIX + "/" + app, spec, RouterProtocol.Opened.class);
        return new Handle(app, spec, o);
    }

    /**
     * Calls {@code onRestart} soon after orch-router restarted (it restored the routes it saved, or holds none
     * when its table was lost; a resync re-opens them at once instead of at the next periodic one). Polls the router's instance id every {@code every}.
     *
     * @return stops watching
     */
    public Runnable watchRestarts(Runnable onRestart, java.time.Duration every) {
        var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("orch-router-watch").daemon(true).unstarted(r));
        timer.scheduleWithFixedDelay(() -> {
            try {
                String now = call(HttpMethod.GET, RouterProtocol.PREFIX, null, RouterProtocol.Listing.class).instance();
                String before = routerInstance;
                routerInstance = now;
                if (before != null && !before.equals(now)) {
                    LOG.warnf("orch-router restarted: re-opening its routes (adopted where it restored them from its saved table)");
                    onRestart.run();
                }
            } catch (RuntimeException e) {
                // down for now: the next answer tells whether it restarted
            }
        }, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    /** Leaves every route serving: they belong to orch-router.service, not to this orchd. */
    @Override
    public void close() {
        http.close();
    }

    private final class Handle implements RouteHandle {
        private final String app;
        private final RouteSpec spec;
        private final String path;
        private volatile RouterProtocol.Opened opened;

        Handle(String app, RouteSpec spec, RouterProtocol.Opened opened) {
            this.app = app;
            this.spec = spec;
            this.path = RouterProtocol.PREFIX + "/" + app;
            this.opened = opened;
        }

        private <T> T reopening(HttpMethod method, String sub, Object body, Class<T> type) {
            try {
                return call(method, path + sub, body, type);
            } catch (UnknownRoute e) {
                opened = call(HttpMethod.PUT, path, spec, RouterProtocol.Opened.class);
                return call(method, path + sub, body, type);
            }
        }

        private RouterProtocol.State state() {
            return reopening(HttpMethod.GET, "", null, RouterProtocol.State.class);
        }

        @Override
        public String app() {
            return app;
        }

        @Override
        public int port() {
            return opened.port();
        }

        @Override
        public Optional<Integer> previewPort() {
            return Optional.ofNullable(opened.previewPort());
        }

        @Override
        public void switchTo(Color color, List<Backend> backends) {
            reopening(HttpMethod.POST, "/live", new RouterProtocol.Target(color, backends), RouterProtocol.State.class);
        }

        @Override
        public void setIdle(Color color, List<Backend> backends) {
            reopening(HttpMethod.POST, "/idle", new RouterProtocol.Target(color, backends), RouterProtocol.State.class);
        }

        @Override
        public void setCanary(Color color, List<Backend> backends, int weight, String token) {
            reopening(HttpMethod.POST, "/canary", new RouterProtocol.Canary(color, backends, weight, token), RouterProtocol.State.class);
        }

        @Override
        public int canaryWeight() {
            Integer w = state().canaryWeight();
            return w == null ? 0 : w;
        }

        @Override
        public Optional<Color> live() {
            return Optional.ofNullable(state().live());
        }

        @Override
        public Optional<Color> idle() {
            return Optional.ofNullable(state().idle());
        }

        @Override
        public int inFlight(Color color) {
            return state().inFlight(color);
        }

        @Override
        public Traffic traffic(Color color) {
            return state().traffic(color);
        }

        @Override
        public void close() {
            try {
                call(HttpMethod.DELETE, path, null, Void.class);
            } catch (UnknownRoute e) {
                // already gone
            }
        }
    }
}
