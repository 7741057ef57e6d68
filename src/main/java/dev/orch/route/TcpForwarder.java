package dev.orch.route;

import io.vertx.core.Handler;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicReference;

/** TCP mode: each accepted connection is spliced to one replica of the slot's color, chosen when it opens. */
final class TcpForwarder implements Handler<NetSocket> {
    private final String app;
    private final AtomicReference<ColorTarget> slot;
    private final RouteMetrics metrics;

    TcpForwarder(String app, AtomicReference<ColorTarget> slot, RouteMetrics metrics) {
        this.app = app;
        this.slot = slot;
        this.metrics = metrics;
    }

    @Override
    public void handle(NetSocket front) {
        ColorTarget t = ColorTarget.acquire(slot);
        if (t == null) {
            metrics.rejectedNoTarget(app);
            front.close();
            return;
        }
        front.pause();
        t.net.connect(t.pick()).onComplete(ar -> {
            if (ar.failed()) {
                front.close();
                t.release();
                return;
            }
            new Tunnel(app, metrics, t, front, ar.result()).start();
        });
    }
}
