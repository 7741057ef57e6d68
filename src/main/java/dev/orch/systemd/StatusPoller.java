package dev.orch.systemd;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Polls a status snapshot and reports the instances whose status changed (or appeared) since the last poll. */
final class StatusPoller implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StatusPoller.class);
    private final String name;
    private final Duration interval;
    private final Consumer<InstanceEvent> listener;
    private final Supplier<Map<InstanceId, InstanceStatus>> snapshot;
    private final Map<InstanceId, InstanceStatus> last = new HashMap<>();
    private volatile boolean closed;
    private Thread thread;

    StatusPoller(String name, Duration interval, Consumer<InstanceEvent> listener, Supplier<Map<InstanceId, InstanceStatus>> snapshot) {
        this.name = name;
        this.interval = interval;
        this.listener = listener;
        this.snapshot = snapshot;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
    }

    private void loop() {
        while (!closed) {
            try {
                pollOnce();
            } catch (RuntimeException e) {
                LOG.debugf("status poll failed: %s", e.getMessage());
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One instance's fresh status, from a change signal: reported now if it differs from the last one seen. */
    synchronized void update(InstanceId id, InstanceStatus now) {
        InstanceStatus prev = last.get(id);
        if (!sameState(prev, now)) {
            last.put(id, now);
            listener.accept(new InstanceEvent(id, prev, now));
        }
    }

    synchronized void pollOnce() {
        Map<InstanceId, InstanceStatus> now = snapshot.get();
        for (var e : now.entrySet()) {
            InstanceStatus prev = last.get(e.getKey());
            if (!sameState(prev, e.getValue())) {
                listener.accept(new InstanceEvent(e.getKey(), prev, e.getValue()));
            }
        }
        for (var gone : last.keySet().stream().filter(k -> !now.containsKey(k)).toList()) {
            listener.accept(new InstanceEvent(gone, last.get(gone), null));
        }
        last.clear();
        last.putAll(now);
    }

    /** Equal apart from the timestamp's precision. */
    private static boolean sameState(InstanceStatus a, InstanceStatus b) {
        return a != null && a.activeState() == b.activeState() && a.subState().equals(b.subState())
                && a.mainPid() == b.mainPid() && a.restarts() == b.restarts() && a.installed() == b.installed()
                && Objects.equals(a.exitStatus(), b.exitStatus());
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
