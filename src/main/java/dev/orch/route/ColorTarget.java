package dev.orch.route;

import dev.orch.state.Color;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * An immutable snapshot of "where traffic goes": one color, its replicas, and the client (with its own
 * keep-alive pool) that reaches them. A switch publishes a new target through an AtomicReference; the old
 * one is retired: it closes as soon as nothing runs on it, or when its drain timeout ends.
 *
 * <p>Every exchange holds a reference ({@link #acquire}) for its whole life. The reference count is
 * negative once the target is closed, so an exchange can never start on a closed client.
 */
final class ColorTarget {
    private static final int CLOSED = Integer.MIN_VALUE / 2;

    final Color color;
    final List<Backend> backends;
    private final SocketAddress[] addresses;
    private final AtomicInteger nextReplica = new AtomicInteger();
    private final AtomicInteger refs = new AtomicInteger();
    private final Set<NetSocket> tunnels = ConcurrentHashMap.newKeySet();
    private final Vertx vertx;
    private final Consumer<ColorTarget> onClosed;
    private volatile boolean retired;
    private volatile long drainTimer = -1;

    /** Null in TCP mode. */
    final HttpClient http;
    /** Used by TCP mode and never created in HTTP mode. */
    final NetClient net;

    ColorTarget(Vertx vertx, Color color, List<Backend> backends, boolean httpMode, RouterOptions options,
            Consumer<ColorTarget> onClosed) {
        this.vertx = vertx;
        this.color = color;
        this.backends = List.copyOf(backends);
        this.onClosed = onClosed;
        this.addresses = this.backends.stream()
                .map(b -> SocketAddress.inetSocketAddress(b.port(), b.host()))
                .toArray(SocketAddress[]::new);
        if (httpMode) {
            HttpClientOptions o = new HttpClientOptions()
                    .setKeepAlive(true)
                    .setTcpNoDelay(true)
                    .setConnectTimeout(options.connectTimeoutMillis());
            this.http = vertx.createHttpClient(o, new PoolOptions().setHttp1MaxSize(options.maxConnectionsPerBackend()));
            this.net = null;
        } else {
            this.http = null;
            this.net = vertx.createNetClient(new NetClientOptions()
                    .setTcpNoDelay(true)
                    .setConnectTimeout(options.connectTimeoutMillis()));
        }
    }

    /** Takes a reference on the current target of {@code slot}, or returns null when it has none. */
    static ColorTarget acquire(AtomicReference<ColorTarget> slot) {
        for (;;) {
            ColorTarget t = slot.get();
            if (t == null) {
                return null;
            }
            if (t.tryAcquire()) {
                return t;
            }
            // t was closed after we read it: the slot already holds its successor.
        }
    }

    /** Takes a reference on {@code t}, or returns null when it is closed (or null). */
    static ColorTarget acquire(ColorTarget t) {
        return t != null && t.tryAcquire() ? t : null;
    }

    private boolean tryAcquire() {
        for (;;) {
            int r = refs.get();
            if (r < 0) {
                return false;
            }
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    void release() {
        if (refs.decrementAndGet() == 0 && retired) {
            closeIfIdle();
        }
    }

    /** Round-robin over the replicas. */
    SocketAddress pick() {
        SocketAddress[] a = addresses;
        return a.length == 1 ? a[0] : a[(nextReplica.getAndIncrement() & Integer.MAX_VALUE) % a.length];
    }

    boolean sameAs(Color c, List<Backend> b) {
        return color == c && backends.equals(b);
    }

    int inFlight() {
        return Math.max(0, refs.get());
    }

    /** Long-lived tunnels (TCP connections, websockets) are closed by hand when the drain ends. */
    void track(NetSocket s) {
        tunnels.add(s);
    }

    void untrack(NetSocket s) {
        tunnels.remove(s);
    }

    /**
     * No new exchange will be given this target. It closes once idle, or after {@code drainMillis}
     * at the latest; {@code onTimeout} gets the number of exchanges that were cut.
     */
    void retire(long drainMillis, java.util.function.IntConsumer onTimeout) {
        retired = true;
        if (closeIfIdle()) {
            return;
        }
        if (drainMillis <= 0) {
            forceClose(onTimeout);
            return;
        }
        drainTimer = vertx.setTimer(drainMillis, id -> forceClose(onTimeout));
        if (refs.get() < 0) {
            vertx.cancelTimer(drainTimer); // closed meanwhile
        }
    }

    private boolean closeIfIdle() {
        if (refs.compareAndSet(0, CLOSED)) {
            closeClients();
            return true;
        }
        return refs.get() < 0;
    }

    private void forceClose(java.util.function.IntConsumer onTimeout) {
        int r;
        do {
            r = refs.get();
            if (r < 0) {
                return;
            }
        } while (!refs.compareAndSet(r, CLOSED));
        if (r > 0) {
            onTimeout.accept(r);
        }
        closeClients();
    }

    private void closeClients() {
        long timer = drainTimer;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (http != null) {
            http.close();
        }
        if (net != null) {
            net.close();
        }
        for (NetSocket s : tunnels) {
            s.close();
        }
        onClosed.accept(this);
    }
}
