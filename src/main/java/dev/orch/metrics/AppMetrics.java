package dev.orch.metrics;

import dev.orch.state.ConditionType;
import dev.orch.state.ActualState;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.Condition;
import dev.orch.state.ConditionStatus;
import dev.orch.state.DesiredApp;
import dev.orch.state.StateStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Per-app gauges, refreshed after every reconcile of that app (so they are never older than the last
 * observation): desired and ready replicas per color, the live color, the live revision number, which revision
 * each color runs (an info metric: its labels change, its value is 1) and the Available / rollout state.
 * A deleted app's series are removed.
 */
public final class AppMetrics {
    private final MeterRegistry registry;
    private final StateStore store;
    /** Ready replicas of an app's color as the reconcile that just ran observed them (no second driver query). */
    private final java.util.function.ToIntBiFunction<String, Color> readyReplicas;
    private final Consumer<String> onDeleted;
    /** Gauges by meter id (name + tags), each with its value holder, per app. */
    private final Map<String, Map<Meter.Id, AtomicLong>> byApp = new ConcurrentHashMap<>();

    public AppMetrics(MeterRegistry registry, StateStore store, java.util.function.ToIntBiFunction<String, Color> readyReplicas,
            Consumer<String> onDeleted) {
        this.registry = registry;
        this.store = store;
        this.readyReplicas = readyReplicas;
        this.onDeleted = onDeleted;
    }

    /** Re-reads one app's state and sets its gauges; never throws (metrics must not break the loop). */
    public void refresh(String app) {
        try {
            Optional<DesiredApp> d = store.readDesired(app);
            Optional<ActualState> a = store.readActual(app);
            if (d.isEmpty() && (a.isEmpty() || a.get().blue() == null && a.get().green() == null)) {
                remove(app);
                onDeleted.accept(app);
                return;
            }
            set(app, values(app, d.orElse(null), a.orElse(ActualState.EMPTY)));
        } catch (RuntimeException e) {
            // a half-written or unreadable state: keep the previous values until the next reconcile
        }
    }

    private record Value(String name, String help, Tags tags, long value) {}

    private java.util.List<Value> values(String app, DesiredApp d, ActualState a) {
        java.util.List<Value> v = new java.util.ArrayList<>();
        Tags appTag = Tags.of("app", app);
        if (d != null) {
            v.add(new Value("orch_app_replicas_desired", "Replicas the manifest asks for", appTag, d.deployment().spec().replicas()));
        }
        Condition available = a.condition(ConditionType.AVAILABLE);
        v.add(new Value("orch_app_available", "1 when the app's Available condition is True", appTag,
                available != null && available.status() == ConditionStatus.TRUE ? 1 : 0));
        v.add(new Value("orch_app_rollout_in_progress", "1 while a rollout runs (before its switch ends)", appTag,
                a.rollout() != null && a.rollout().inProgress() ? 1 : 0));
        v.add(new Value("orch_canary_weight_percent", "Percent of new clients the route sends to the canary color (0 without a canary)", appTag,
                a.rollout() != null && a.rollout().inCanary() ? a.rollout().canary().weight() : 0));
        ColorState live = a.live() == null ? null : a.color(a.live());
        v.add(new Value("orch_app_live_revision", "Revision number the live color runs (0 when none)", appTag, live == null ? 0 : live.revision()));
        for (Color c : Color.values()) {
            Tags ct = appTag.and("color", c.wire());
            v.add(new Value("orch_app_live", "1 for the color that receives traffic, 0 for the other", ct, c == a.live() ? 1 : 0));
            ColorState cs = a.color(c);
            v.add(new Value("orch_app_replicas_ready", "Replicas of this color that run and pass their readiness probe", ct,
                    cs == null ? 0 : readyReplicas.applyAsInt(app, c)));
            if (cs != null) {
                v.add(new Value("orch_app_revision_info", "The revision each color runs (value 1; revision and hash in labels)",
                        ct.and("revision", Integer.toString(cs.revision()), "hash", cs.revisionHash() == null ? "" : cs.revisionHash()), 1));
            }
        }
        return v;
    }

    private synchronized void set(String app, java.util.List<Value> values) {
        Map<Meter.Id, AtomicLong> old = byApp.getOrDefault(app, Map.of());
        Map<Meter.Id, AtomicLong> next = new HashMap<>();
        for (Value v : values) {
            Meter.Id id = new Meter.Id(v.name(), v.tags(), null, v.help(), Meter.Type.GAUGE);
            AtomicLong holder = old.get(id);
            if (holder == null) {
                AtomicLong h = new AtomicLong();
                Gauge.builder(v.name(), h, AtomicLong::get).description(v.help()).tags(v.tags()).strongReference(true).register(registry);
                holder = h;
            }
            holder.set(v.value());
            next.put(id, holder);
        }
        for (Meter.Id id : old.keySet()) {
            if (!next.containsKey(id)) {
                registry.remove(id);
            }
        }
        byApp.put(app, next);
    }

    private synchronized void remove(String app) {
        Map<Meter.Id, AtomicLong> old = byApp.remove(app);
        if (old != null) {
            old.keySet().forEach(registry::remove);
        }
    }
}
