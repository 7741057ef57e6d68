package dev.orch.probe;

import dev.orch.manifest.Probe;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Probes targets periodically with the manifest's timings (initialDelaySeconds, then every periodSeconds)
 * and reports each readiness/liveness transition once, so the control loop is woken by changes and not
 * by every attempt. One timer per watched target, on Vert.x; attempts never overlap.
 */
public final class ProbeWorker implements Probing {
    /** What a watch is about; the caller's key (e.g. app/color/replica/kind). */
    public record Key(String app, String color, int replica, Kind kind) {}

    public enum Kind {
        READINESS,
        LIVENESS
    }

    private final Vertx vertx;
    private final ProbeExecutor executor;
    private final Map<Key, Watch> watches = new ConcurrentHashMap<>();

    public ProbeWorker(Vertx vertx) {
        this.vertx = vertx;
        this.executor = new ProbeExecutor(vertx);
    }

    /**
     * Starts (or replaces) probing {@code key}; {@code onChange} gets the new state whenever
     * {@link ProbeState#passing()} flips.
     */
    @Override
    public void watch(Key key, Probe probe, ProbeTarget target, Map<String, String> env, BiConsumer<Key, ProbeState> onChange) {
        Watch w = new Watch(key, probe, target, Map.copyOf(env), onChange);
        Watch old = watches.put(key, w);
        if (old != null) {
            old.cancel();
        }
        w.schedule(TimeUnit.SECONDS.toMillis(probe.initialDelaySeconds()));
    }

    @Override
    public void unwatch(Key key) {
        Watch w = watches.remove(key);
        if (w != null) {
            w.cancel();
        }
    }

    /** Current state; readiness defaults to not ready when nothing watches the key. */
    @Override
    public ProbeState state(Key key) {
        Watch w = watches.get(key);
        if (w != null) {
            return w.state;
        }
        return key.kind() == Kind.READINESS ? ProbeState.initialReadiness() : ProbeState.initialLiveness();
    }

    @Override
    public void close() {
        watches.values().forEach(Watch::cancel);
        watches.clear();
        executor.close();
    }

    private final class Watch {
        final Key key;
        final Probe probe;
        final ProbeTarget target;
        final Map<String, String> env;
        final BiConsumer<Key, ProbeState> onChange;
        volatile ProbeState state;
        volatile boolean cancelled;
        volatile long timer = -1;

        Watch(Key key, Probe probe, ProbeTarget target, Map<String, String> env, BiConsumer<Key, ProbeState> onChange) {
            this.key = key;
            this.probe = probe;
            this.target = target;
            this.env = env;
            this.onChange = onChange;
            this.state = key.kind() == Kind.READINESS ? ProbeState.initialReadiness() : ProbeState.initialLiveness();
        }

        void schedule(long delayMs) {
            if (cancelled) {
                return;
            }
            if (delayMs <= 0) {
                attempt();
            } else {
                timer = vertx.setTimer(delayMs, id -> attempt());
            }
        }

        void attempt() {
            if (cancelled) {
                return;
            }
            executor.run(probe, target, env).onComplete(ar -> {
                if (cancelled) {
                    return;
                }
                ProbeResult r = ar.succeeded() ? ar.result() : ProbeResult.failed(String.valueOf(ar.cause()));
                ProbeState before = state;
                state = before.next(r, probe);
                if (state.passing() != before.passing()) {
                    onChange.accept(key, state);
                }
                schedule(TimeUnit.SECONDS.toMillis(probe.periodSeconds()));
            });
        }

        void cancel() {
            cancelled = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }
}
