package dev.orch.route;

import dev.orch.state.Color;
import dev.orch.state.Traffic;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * One route's per-color counters for the bake window (requests, 5xx, latency histogram), in process, then the
 * hooks passed on to the metrics package. Lock-free adders: the request path only increments.
 */
final class TrafficRecorder implements RouteMetrics {
    private final RouteMetrics next;
    private final Counters blue = new Counters();
    private final Counters green = new Counters();

    TrafficRecorder(RouteMetrics next) {
        this.next = next;
    }

    Traffic snapshot(Color c) {
        return (c == Color.BLUE ? blue : green).snapshot();
    }

    @Override
    public void requestStarted(String app, Color color) {
        next.requestStarted(app, color);
    }

    @Override
    public void requestEnded(String app, Color color, int status, long durationNanos, long bytesIn, long bytesOut) {
        Counters c = color == Color.BLUE ? blue : green;
        c.buckets[Traffic.bucket(durationNanos)].increment();
        if (status >= 500 && status <= 599) {
            c.errors.increment();
        }
        c.requests.increment();
        next.requestEnded(app, color, status, durationNanos, bytesIn, bytesOut);
    }

    @Override
    public void rejectedNoTarget(String app) {
        next.rejectedNoTarget(app);
    }

    @Override
    public void connectionOpened(String app, Color color) {
        next.connectionOpened(app, color);
    }

    @Override
    public void connectionClosed(String app, Color color, long durationNanos, long bytesIn, long bytesOut) {
        next.connectionClosed(app, color, durationNanos, bytesIn, bytesOut);
    }

    @Override
    public void drainTimedOut(String app, Color color, int cut) {
        next.drainTimedOut(app, color, cut);
    }

    private static final class Counters {
        final LongAdder requests = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder[] buckets = new LongAdder[Traffic.BOUNDS_MILLIS.size() + 1];

        Counters() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        /** Requests last: a snapshot never counts more requests than its buckets and errors hold. */
        Traffic snapshot() {
            long n = requests.sum();
            long e = errors.sum();
            List<Long> b = new ArrayList<>(buckets.length);
            for (LongAdder a : buckets) {
                b.add(a.sum());
            }
            return new Traffic(n, Math.min(e, n), b);
        }
    }
}
