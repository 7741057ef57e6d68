package dev.orch.metrics;

import dev.orch.route.RouteMetrics;
import dev.orch.state.Color;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The route's hooks as Micrometer meters, labelled by app and color only (status as a class: 2xx, 5xx...),
 * so cardinality stays at a handful of series per app. Meters are created once per app and color and
 * cached: the hot path is a map lookup and an increment.
 */
public final class RouteMeters implements RouteMetrics {
    /** Status classes in label order; index 0 is an exchange cut after the response started. */
    static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final MeterRegistry registry;
    private final Map<String, PerColor> meters = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    public RouteMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The meters of one app and color. */
    private final class PerColor {
        final List<Meter> all = new ArrayList<>();
        final Counter[] requests = new Counter[STATUS_CLASSES.length];
        final Timer duration;
        final AtomicLong inFlight = new AtomicLong();
        final AtomicLong open = new AtomicLong();
        final Counter connections;
        final Counter bytesIn;
        final Counter bytesOut;
        final Counter drainCut;

        PerColor(String app, String color) {
            for (int i = 0; i < STATUS_CLASSES.length; i++) {
                requests[i] = add(Counter.builder("orch_route_requests").description("HTTP requests the route forwarded, by status class")
                        .tags("app", app, "color", color, "status", STATUS_CLASSES[i]).register(registry));
            }
            duration = add(Timer.builder("orch_route_request_duration").description("HTTP request duration through the route, until the response ended")
                    .tags("app", app, "color", color)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(60))
                    .register(registry));
            add(Gauge.builder("orch_route_requests_in_flight", inFlight, AtomicLong::get).description("HTTP requests being forwarded now")
                    .tags("app", app, "color", color).strongReference(true).register(registry));
            add(Gauge.builder("orch_route_open_connections", open, AtomicLong::get)
                    .description("Open TCP or upgraded (websocket) connections through the route")
                    .tags("app", app, "color", color).strongReference(true).register(registry));
            connections = add(Counter.builder("orch_route_connections").description("TCP or upgraded connections the route opened")
                    .tags("app", app, "color", color).register(registry));
            bytesIn = add(Counter.builder("orch_route_received_bytes").description("Body or stream bytes received from clients")
                    .baseUnit("bytes").tags("app", app, "color", color).register(registry));
            bytesOut = add(Counter.builder("orch_route_sent_bytes").description("Body or stream bytes sent to clients")
                    .baseUnit("bytes").tags("app", app, "color", color).register(registry));
            drainCut = add(Counter.builder("orch_route_drain_cut").description("Exchanges cut because the drain timeout of a retired color ended")
                    .tags("app", app, "color", color).register(registry));
        }

        private <M extends Meter> M add(M m) {
            all.add(m);
            return m;
        }
    }

    private PerColor of(String app, Color color) {
        return meters.computeIfAbsent(app + "/" + color.wire(), k -> new PerColor(app, color.wire()));
    }

    static int statusClass(int status) {
        return status >= 100 && status < 600 ? status / 100 : 0;
    }

    @Override
    public void requestStarted(String app, Color color) {
        of(app, color).inFlight.incrementAndGet();
    }

    @Override
    public void requestEnded(String app, Color color, int status, long durationNanos, long bytesIn, long bytesOut) {
        PerColor m = of(app, color);
        m.inFlight.decrementAndGet();
        m.requests[statusClass(status)].increment();
        m.duration.record(durationNanos, TimeUnit.NANOSECONDS);
        m.bytesIn.increment(bytesIn);
        m.bytesOut.increment(bytesOut);
    }

    @Override
    public void rejectedNoTarget(String app) {
        rejected.computeIfAbsent(app, a -> Counter.builder("orch_route_rejected")
                .description("Requests or connections refused because no color was live").tags("app", a).register(registry)).increment();
    }

    @Override
    public void connectionOpened(String app, Color color) {
        PerColor m = of(app, color);
        m.open.incrementAndGet();
        m.connections.increment();
    }

    @Override
    public void connectionClosed(String app, Color color, long durationNanos, long bytesIn, long bytesOut) {
        PerColor m = of(app, color);
        m.open.decrementAndGet();
        m.bytesIn.increment(bytesIn);
        m.bytesOut.increment(bytesOut);
    }

    @Override
    public void drainTimedOut(String app, Color color, int cut) {
        of(app, color).drainCut.increment(cut);
    }

    /** An app was deleted: its series go away (a later request would create them again). */
    public void forget(String app) {
        for (Color c : Color.values()) {
            PerColor m = meters.remove(app + "/" + c.wire());
            if (m != null) {
                m.all.forEach(registry::remove);
            }
        }
        Counter r = rejected.remove(app);
        if (r != null) {
            registry.remove(r);
        }
    }
}
