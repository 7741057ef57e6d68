package dev.orch.systemd;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Unit statuses as the driver's change stream last reported them, so an observation costs no call to the
 * manager. The stream (the driver's batched status poll, or its own transitions) keeps entries fresh; an
 * instance never reported yet, or one the executor just acted on, is asked of the driver once.
 */
public final class StatusCache implements AutoCloseable {
    private final ServiceDriver driver;
    private final Map<InstanceId, InstanceStatus> statuses = new ConcurrentHashMap<>();
    private ServiceDriver.Subscription subscription;

    public StatusCache(ServiceDriver driver) {
        this.driver = driver;
    }

    /** Subscribes to the driver's changes; {@code onChange} hears each one after the cache took it. */
    public synchronized void start(Consumer<InstanceEvent> onChange, Duration interval) {
        subscription = driver.watch(ev -> {
            if (ev.current() == null) {
                statuses.remove(ev.id());
            } else {
                statuses.put(ev.id(), ev.current());
            }
            onChange.accept(ev);
        }, interval);
    }

    public InstanceStatus status(InstanceId id) {
        InstanceStatus s = statuses.get(id);
        if (s != null) {
            return s;
        }
        InstanceStatus fresh = driver.status(id);
        // the stream wins: a change it reported while this call ran is newer than what the call saw
        InstanceStatus raced = statuses.putIfAbsent(id, fresh);
        return raced == null ? fresh : raced;
    }

    /** Forgets what the executor just changed: the next observation asks the driver (the stream may lag). */
    public void invalidate(InstanceId id) {
        statuses.remove(id);
    }

    @Override
    public synchronized void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
