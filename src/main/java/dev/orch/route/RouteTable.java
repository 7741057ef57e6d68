package dev.orch.route;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orch.manifest.RouteSpec;
import dev.orch.state.AtomicFiles;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The router's side (orch-router.service): the open routes by app. Opening a route that is already open with
 * the same spec adopts it untouched, which is what a restarted orchd does for every app it finds.
 *
 * <p>With a file, the table is saved there after every change (spec, live and idle target of each route) and
 * {@link #restore()} re-opens it when the router starts, before it reports ready: a restarted router serves
 * each route's live color at once, without waiting for orchd.
 */
public final class RouteTable implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RouteTable.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The file orch-router saves its table to, in its state directory. */
    public static final String FILE = "router-routes.json";

    /** One route as saved: its spec and the targets its slots hold (null when empty). */
    @RegisterForReflection
    public record Saved(RouteSpec spec, RouterProtocol.Target live, RouterProtocol.Target idle) {}

    /** The file's content; {@code schemaVersion} as in every state document (docs/state.md). */
    @RegisterForReflection
    public record SavedTable(int schemaVersion, Map<String, Saved> routes) {}

    private record Entry(RouteSpec spec, RouteHandle handle) {}

    private final Router router;
    private final Path file;
    private final Map<String, Entry> routes = new ConcurrentHashMap<>();
    private final Map<String, Saved> saved = new TreeMap<>();
    /** This run of the router: orchd notices a restart (routes forgotten) when it changes. */
    private final String instance = java.util.UUID.randomUUID().toString();

    /** A table that lives as long as the process. */
    public RouteTable(Router router) {
        this(router, null);
    }

    /** A table saved to {@code file} (null: not saved). */
    public RouteTable(Router router, Path file) {
        this.router = router;
        this.file = file;
    }

    /**
     * Re-opens the routes of the file with their live and idle targets. A route that cannot be opened again (its
     * port taken meanwhile) is logged and left out; orchd opens it again when it can.
     *
     * @return the apps whose route is open again
     */
    public synchronized List<String> restore() {
        List<String> back = new ArrayList<>();
        if (file == null || !Files.exists(file)) {
            return back;
        }
        SavedTable t;
        try {
            t = JSON.readValue(file.toFile(), SavedTable.class);
        } catch (IOException e) {
            LOG.warnf("cannot read the saved routes %s (%s): starting with none, orchd re-opens them", file, e.getMessage());
            return back;
        }
        for (var e : t.routes().entrySet()) {
            String app = e.getKey();
            Saved s = e.getValue();
            try {
                RouteHandle h = router.open(app, s.spec());
                routes.put(app, new Entry(s.spec(), h));
                saved.put(app, new Saved(s.spec(), null, null));
                if (s.live() != null) {
                    h.switchTo(s.live().color(), s.live().backends());
                }
                if (s.idle() != null) {
                    h.setIdle(s.idle().color(), s.idle().backends());
                }
                saved.put(app, s);
                back.add(app);
            } catch (RuntimeException ex) {
                LOG.warnf("route of %s not restored: %s", app, ex.getMessage());
            }
        }
        save();
        return back;
    }

    public synchronized RouterProtocol.Opened open(String app, RouteSpec spec) {
        Entry e = routes.get(app);
        if (e != null && e.spec().equals(spec)) {
            return new RouterProtocol.Opened(e.handle().port(), e.handle().previewPort().orElse(null), true);
        }
        if (e != null) {
            routes.remove(app).handle().close(); // a changed spec: rebind, as the embedded router does
            saved.remove(app);
        }
        RouteHandle h = router.open(app, spec);
        routes.put(app, new Entry(spec, h));
        saved.put(app, new Saved(spec, null, null));
        save();
        return new RouterProtocol.Opened(h.port(), h.previewPort().orElse(null), false);
    }

    public Optional<RouteHandle> get(String app) {
        Entry e = routes.get(app);
        return e == null ? Optional.empty() : Optional.of(e.handle());
    }

    /** The switch ({@link RouteHandle#switchTo}), saved. */
    public synchronized RouteHandle switchTo(String app, RouterProtocol.Target t) {
        RouteHandle h = handle(app);
        h.switchTo(t.color(), t.backends());
        Saved s = saved.get(app);
        // the previous live color becomes the preview's target (RouteHandle contract): keep what the route holds
        saved.put(app, new Saved(s.spec(), t, idleOf(h, s)));
        save();
        return h;
    }

    /** A new idle target ({@link RouteHandle#setIdle}), saved. */
    public synchronized RouteHandle setIdle(String app, RouterProtocol.Target t) {
        RouteHandle h = handle(app);
        List<Backend> backends = t.backends() == null ? List.of() : t.backends();
        h.setIdle(t.color(), backends);
        Saved s = saved.get(app);
        saved.put(app, new Saved(s.spec(), s.live(), backends.isEmpty() ? null : new RouterProtocol.Target(t.color(), backends)));
        save();
        return h;
    }

    /**
     * A canary split ({@link RouteHandle#setCanary}). Not saved: a restarted router serves the live color alone until
     * orchd's next reconcile sees the split missing and puts its weight back.
     */
    public RouteHandle setCanary(String app, RouterProtocol.Canary c) {
        RouteHandle h = handle(app);
        h.setCanary(c.color(), c.backends() == null ? List.of() : c.backends(), c.weight(), c.token());
        return h;
    }

    /** After a switch the route keeps the old live target as idle when its color is the route's idle color. */
    private static RouterProtocol.Target idleOf(RouteHandle h, Saved before) {
        if (h.idle().isEmpty()) {
            return null;
        }
        if (before.live() != null && before.live().color() == h.idle().get()) {
            return before.live();
        }
        if (before.idle() != null && before.idle().color() == h.idle().get()) {
            return before.idle();
        }
        return null;
    }

    private RouteHandle handle(String app) {
        return get(app).orElseThrow(() -> new IllegalStateException("no route for " + app));
    }

    public synchronized boolean close(String app) {
        Entry e = routes.remove(app);
        if (e != null) {
            e.handle().close();
            saved.remove(app);
            save();
        }
        return e != null;
    }

    public RouterProtocol.Listing listing() {
        return new RouterProtocol.Listing(instance, routes.keySet().stream().sorted().toList());
    }

    private void save() {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new SavedTable(1, new TreeMap<>(saved))),
                    AtomicFiles.PRIVATE_FILE);
        } catch (IOException e) {
            LOG.warnf("cannot save the routes to %s: %s (a restart of the router then waits for orchd to re-open them)",
                    file, e.getMessage());
        }
    }

    /**
     * The router stops: waits until the requests and connections in flight at this moment have finished (at most
     * the longest {@code drainTimeoutSeconds} of the open routes; requests that start meanwhile are served but
     * not waited for), then closes every route. The saved file stays, so the next start re-opens them.
     */
    @Override
    public void close() {
        long drainSeconds = routes.values().stream().mapToLong(e -> Math.max(0, e.spec().drainTimeoutSeconds())).max().orElse(0);
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(drainSeconds);
        List<java.util.function.IntSupplier> running = new ArrayList<>();
        for (Entry e : routes.values()) {
            if (e.handle() instanceof VertxRoute v) {
                running.add(v.renewForStop());
            }
        }
        int busy;
        while ((busy = running.stream().mapToInt(java.util.function.IntSupplier::getAsInt).sum()) > 0 && System.nanoTime() < until) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (busy > 0) {
            LOG.warnf("router stopping with %d exchanges still in flight after %ds: they are cut", busy, drainSeconds);
        }
        router.close();
    }

    /** Requests (HTTP) and connections (TCP, websockets) in flight over every route and color. */
    int inFlight() {
        int n = 0;
        for (Entry e : routes.values()) {
            for (dev.orch.state.Color c : dev.orch.state.Color.values()) {
                n += e.handle().inFlight(c);
            }
        }
        return n;
    }
}
