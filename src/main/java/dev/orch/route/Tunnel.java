package dev.orch.route;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/**
 * Splices two sockets (a TCP-mode connection, or an upgraded websocket) with backpressure both ways.
 * When either side closes, both close; the target reference is released once.
 */
final class Tunnel {
    private final String app;
    private final RouteMetrics metrics;
    private final ColorTarget target;
    private final NetSocket front;
    private final NetSocket back;
    private final long started = System.nanoTime();
    private long bytesIn;
    private long bytesOut;
    private boolean closed;

    Tunnel(String app, RouteMetrics metrics, ColorTarget target, NetSocket front, NetSocket back) {
        this.app = app;
        this.metrics = metrics;
        this.target = target;
        this.front = front;
        this.back = back;
    }

    /** Starts forwarding; the caller must have paused {@code front} and must resume it afterwards if needed. */
    void start() {
        target.track(front);
        target.track(back);
        metrics.connectionOpened(app, target.color);
        front.handler(this::fromFront);
        back.handler(this::fromBack);
        front.closeHandler(v -> close());
        back.closeHandler(v -> close());
        front.exceptionHandler(e -> close());
        back.exceptionHandler(e -> close());
        front.resume();
        back.resume();
    }

    private void fromFront(Buffer b) {
        bytesIn += b.length();
        back.write(b);
        if (back.writeQueueFull()) {
            front.pause();
            back.drainHandler(v -> front.resume());
        }
    }

    private void fromBack(Buffer b) {
        bytesOut += b.length();
        front.write(b);
        if (front.writeQueueFull()) {
            back.pause();
            front.drainHandler(v -> back.resume());
        }
    }

    private void close() {
        // Both sockets of a tunnel may live on different event loops: make the close idempotent.
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        front.close();
        back.close();
        target.untrack(front);
        target.untrack(back);
        metrics.connectionClosed(app, target.color, System.nanoTime() - started, bytesIn, bytesOut);
        target.release();
    }
}
