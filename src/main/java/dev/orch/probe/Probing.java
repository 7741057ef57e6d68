package dev.orch.probe;

import dev.orch.manifest.Probe;
import java.util.Map;
import java.util.function.BiConsumer;

/** What the control loop needs from probing: the executor starts and stops watches, the observer reads states. */
public interface Probing extends AutoCloseable {
    /** Starts (or replaces) probing {@code key}; {@code onChange} hears each flip of {@link ProbeState#passing()}. */
    void watch(ProbeWorker.Key key, Probe probe, ProbeTarget target, Map<String, String> env, BiConsumer<ProbeWorker.Key, ProbeState> onChange);

    void unwatch(ProbeWorker.Key key);

    /** Current state; readiness is not ready when nothing watches the key. */
    ProbeState state(ProbeWorker.Key key);

    @Override
    void close();
}
