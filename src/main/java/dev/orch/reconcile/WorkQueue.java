package dev.orch.reconcile;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A queue of app names, not events (controller-runtime's model): adding a name that is already waiting
 * is a no-op; adding one that is being reconciled marks it dirty so it runs once more afterwards; a name
 * is never handed to two workers at once. Delayed adds keep the earliest due time.
 */
public final class WorkQueue {
    private final LongSupplier nanoTime;
    private final ArrayDeque<String> ready = new ArrayDeque<>();
    private final Set<String> queued = new HashSet<>();
    private final Set<String> processing = new HashSet<>();
    private final Set<String> dirty = new HashSet<>();
    private final Map<String, Long> delayed = new HashMap<>();
    private boolean shutdown;

    public WorkQueue(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    public WorkQueue() {
        this(System::nanoTime);
    }

    public synchronized void add(String app) {
        delayed.remove(app);
        if (processing.contains(app)) {
            dirty.add(app);
        } else if (queued.add(app)) {
            ready.addLast(app);
            notifyAll();
        }
    }

    /** Adds {@code app} once {@code delayNanos} have passed, unless it is due earlier already. */
    public synchronized void addAfter(String app, long delayNanos) {
        if (delayNanos <= 0) {
            add(app);
            return;
        }
        if (queued.contains(app)) {
            return;
        }
        long due = nanoTime.getAsLong() + delayNanos;
        delayed.merge(app, due, Math::min);
        notifyAll();
    }

    /** The next app to reconcile, without waiting; marks it in flight until {@link #done}. */
    public synchronized Optional<String> poll() {
        promoteDue();
        String app = ready.pollFirst();
        if (app == null) {
            return Optional.empty();
        }
        queued.remove(app);
        processing.add(app);
        return Optional.of(app);
    }

    /** Blocks until an app is ready (or the queue shuts down: empty). */
    public synchronized Optional<String> take() throws InterruptedException {
        while (!shutdown) {
            Optional<String> next = poll();
            if (next.isPresent()) {
                return next;
            }
            long wait = nanosUntilNextDue();
            if (wait == Long.MAX_VALUE) {
                wait();
            } else {
                TimeUnit.NANOSECONDS.timedWait(this, Math.max(wait, 1));
            }
        }
        return Optional.empty();
    }

    /** Ends the in-flight reconcile of {@code app}; a dirty app goes straight back on the queue. */
    public synchronized void done(String app) {
        processing.remove(app);
        if (dirty.remove(app)) {
            add(app);
        }
    }

    /** Apps waiting now, not counting delayed ones or those in flight (the queue-depth metric). */
    public synchronized int depth() {
        promoteDue();
        return ready.size();
    }

    public synchronized boolean isInFlight(String app) {
        return processing.contains(app);
    }

    public synchronized void shutdown() {
        shutdown = true;
        notifyAll();
    }

    private void promoteDue() {
        if (delayed.isEmpty()) {
            return;
        }
        long now = nanoTime.getAsLong();
        var it = delayed.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue() - now <= 0) {
                it.remove();
                String app = e.getKey();
                if (processing.contains(app)) {
                    dirty.add(app);
                } else if (queued.add(app)) {
                    ready.addLast(app);
                }
            }
        }
    }

    private long nanosUntilNextDue() {
        long now = nanoTime.getAsLong();
        long min = Long.MAX_VALUE;
        for (long due : delayed.values()) {
            min = Math.min(min, due - now);
        }
        return min;
    }
}
