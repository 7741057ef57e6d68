package dev.orch.route;

import dev.orch.manifest.Protocol;
import dev.orch.state.Color;
import dev.orch.state.Traffic;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One app's route. The request path only reads {@link #live} / {@link #idle}; writers (switch, setIdle,
 * close) are serialised by this object's monitor, which the request path never takes.
 */
final class VertxRoute implements RouteHandle {
    private final String app;
    private final Vertx vertx;
    private final RouterOptions options;
    private final RouteMetrics metrics;
    private final TrafficRecorder traffic;
    private final boolean httpMode;
    private final long drainMillis;
    private final AtomicReference<ColorTarget> live = new AtomicReference<>();
    private final AtomicReference<ColorTarget> idle = new AtomicReference<>();
    /** A canary's split and the target of its new color; null without a canary. */
    private final AtomicReference<CanaryTarget> canary = new AtomicReference<>();
    /** Every target not closed yet: live, idle and draining ones. */
    private final Set<ColorTarget> open = ConcurrentHashMap.newKeySet();
    private final Runnable onClose;
    private Listener main;
    private Listener preview;
    private volatile Color idleColor;
    private boolean closed;

    VertxRoute(String app, Vertx vertx, Protocol protocol, int drainTimeoutSeconds, RouterOptions options,
            RouteMetrics metrics, Runnable onClose) {
        this.app = app;
        this.vertx = vertx;
        this.options = options;
        this.traffic = new TrafficRecorder(metrics);
        this.metrics = traffic;
        this.httpMode = protocol != Protocol.TCP;
        this.drainMillis = drainTimeoutSeconds * 1000L;
        this.onClose = onClose;
    }

    /** The hooks the route's listeners call: its own traffic counters, then the router's metrics. */
    RouteMetrics hooks() {
        return metrics;
    }

    @Override
    public Traffic traffic(Color color) {
        return traffic.snapshot(color);
    }

    AtomicReference<ColorTarget> liveSlot() {
        return live;
    }

    AtomicReference<CanaryTarget> canarySlot() {
        return canary;
    }

    /** A canary's split, and the target (own keep-alive pool) of its new color. */
    record CanaryTarget(CanarySplit split, ColorTarget target) {}

    @Override
    public synchronized void setCanary(Color color, List<Backend> backends, int weight, String token) {
        requireOpen();
        ColorTarget l = live.get();
        CanaryTarget before = canary.get();
        if (weight <= 0 || backends == null || backends.isEmpty()) {
            canary.set(null);
            if (before != null) {
                retire(before.target());
            }
            return;
        }
        if (!httpMode) {
            throw new IllegalArgumentException("the route of " + app + " is TCP: only HTTP routes split traffic by weight");
        }
        if (l == null || l.color == color) {
            throw new IllegalArgumentException("a canary of " + app + " needs a live color other than " + color);
        }
        if (before != null && before.target().sameAs(color, backends) && before.split().token().equals(token)
                && before.split().stable() == l.color) {
            canary.set(new CanaryTarget(before.split().withWeight(weight), before.target()));
            return;
        }
        canary.set(new CanaryTarget(new CanarySplit(l.color, color, weight, token), newTarget(color, backends)));
        if (before != null) {
            retire(before.target());
        }
    }

    @Override
    public int canaryWeight() {
        CanaryTarget c = canary.get();
        return c == null ? 0 : c.split().weight();
    }

    AtomicReference<ColorTarget> idleSlot() {
        return idle;
    }

    void bound(Listener main, Listener preview) {
        this.main = main;
        this.preview = preview;
    }

    @Override
    public String app() {
        return app;
    }

    @Override
    public int port() {
        return main.port();
    }

    @Override
    public Optional<Integer> previewPort() {
        return preview == null ? Optional.empty() : Optional.of(preview.port());
    }

    @Override
    public synchronized void switchTo(Color color, List<Backend> backends) {
        requireOpen();
        if (color == null || backends == null || backends.isEmpty()) {
            throw new IllegalArgumentException("switchTo needs a color and at least one backend");
        }
        ColorTarget before = live.get();
        if (before != null && before.sameAs(color, backends)) {
            return;
        }
        ColorTarget next = newTarget(color, backends);
        live.set(next); // the switch: every exchange that starts from now on reads `next`
        CanaryTarget split = canary.getAndSet(null); // a switch ends a canary: 100 % to the new live color
        if (split != null) {
            retire(split.target());
        }

        // The preview follows the idle color: the previous live color, or what was already idle.
        ColorTarget oldIdle = idle.get();
        if (before != null && before.color != color) {
            replaceIdle(before.color, before.backends);
        } else if (oldIdle != null && oldIdle.color == color) {
            replaceIdle(null, null);
        } else if (oldIdle == null && idleColor == color) {
            idleColor = null;
        }
        if (before != null) {
            retire(before);
        }
    }

    @Override
    public synchronized void setIdle(Color color, List<Backend> backends) {
        requireOpen();
        ColorTarget l = live.get();
        if (l != null && l.color == color) {
            throw new IllegalArgumentException(color + " is the live color of " + app + ", it cannot be the idle one");
        }
        if (backends == null || backends.isEmpty()) {
            replaceIdle(null, null);
        } else {
            replaceIdle(color, backends);
        }
    }

    private void replaceIdle(Color color, List<Backend> backends) {
        idleColor = color;
        ColorTarget old = idle.get();
        if (preview == null) {
            return; // without a preview listener the idle color is only bookkeeping
        }
        if (old != null && color != null && old.sameAs(color, backends)) {
            return;
        }
        idle.set(color == null ? null : newTarget(color, backends));
        if (old != null) {
            retire(old);
        }
    }

    private ColorTarget newTarget(Color color, List<Backend> backends) {
        ColorTarget t = new ColorTarget(vertx, color, backends, httpMode, options, open::remove);
        open.add(t);
        return t;
    }

    private void retire(ColorTarget t) {
        t.retire(drainMillis, cut -> metrics.drainTimedOut(app, t.color, cut));
    }

    @Override
    public Optional<Color> live() {
        ColorTarget t = live.get();
        return t == null ? Optional.empty() : Optional.of(t.color);
    }

    @Override
    public Optional<Color> idle() {
        return Optional.ofNullable(idleColor);
    }

    @Override
    public int inFlight(Color color) {
        int n = 0;
        for (ColorTarget t : open) {
            if (t.color == color) {
                n += t.inFlight();
            }
        }
        return n;
    }

    /**
     * For a stopping router: the exchanges running now keep their targets (which retire as after a switch), and
     * every later one gets a fresh copy of the same target. Returns how many of the former are still running.
     */
    synchronized java.util.function.IntSupplier renewForStop() {
        List<ColorTarget> old = List.copyOf(open);
        for (AtomicReference<ColorTarget> slot : List.of(live, idle)) {
            ColorTarget t = slot.get();
            if (t != null && !closed) {
                slot.set(newTarget(t.color, t.backends));
                retire(t);
            }
        }
        return () -> old.stream().mapToInt(ColorTarget::inFlight).sum();
    }

    @Override
    public void close() {
        Future<Void> unbound;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            unbound = Future.join(main.close(), preview == null ? Future.succeededFuture() : preview.close()).mapEmpty();
            live.set(null);
            idle.set(null);
            canary.set(null);
            for (ColorTarget t : open) {
                t.retire(0, cut -> metrics.drainTimedOut(app, t.color, cut));
            }
        }
        try {
            VertxRouter.await(unbound, "close route of " + app);
        } finally {
            onClose.run();
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("route of " + app + " is closed");
        }
    }
}
