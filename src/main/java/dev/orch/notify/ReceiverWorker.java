package dev.orch.notify;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One receiver's bounded queue and delivery thread: events in order, each retried with backoff, identical ones
 * within the dedup window sent once. After {@link #FAILING_AFTER} failed attempts in a row one warning is logged,
 * then nothing until a delivery succeeds again.
 */
final class ReceiverWorker implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReceiverWorker.class);
    static final int FAILING_AFTER = 3;

    /** How deliveries are paced: the notifier's settings. */
    record Settings(int queueSize, int maxAttempts, Duration dedupWindow, Duration firstBackoff, Duration maxBackoff) {
    }

    private final ReceiverSpec spec;
    private final Settings settings;
    private final Poster poster;
    private final Clock clock;
    private final BlockingQueue<DeployEvent> queue;
    private final Map<String, Instant> recent = new HashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final Counter sentCounter;
    private final Counter failedCounter;
    private final Counter droppedCounter;
    private final Thread thread;
    private volatile Instant lastDelivery;
    private volatile Instant lastErrorTime;
    private volatile String lastError;
    private volatile int failuresInARow;
    private volatile boolean closed;

    ReceiverWorker(ReceiverSpec spec, Settings settings, Poster poster, Clock clock, MeterRegistry registry) {
        this.spec = spec;
        this.settings = settings;
        this.poster = poster;
        this.clock = clock;
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
        sentCounter = counter(registry, "sent");
        failedCounter = counter(registry, "failed");
        droppedCounter = counter(registry, "dropped");
        thread = Thread.ofPlatform().daemon().name("orch-notify-" + spec.name()).unstarted(this::run);
    }

    private Counter counter(MeterRegistry registry, String result) {
        return registry == null ? null : Counter.builder("orch_notifications")
                .description("Notification deliveries per receiver: sent, failed (an attempt), dropped (queue full or attempts used up)")
                .tags("receiver", spec.name(), "result", result).register(registry);
    }

    void start() {
        thread.start();
    }

    /** Never blocks: a full queue drops the event. */
    void offer(DeployEvent e) {
        if (closed || !spec.wants(e)) {
            return;
        }
        Instant now = clock.instant();
        synchronized (recent) {
            recent.values().removeIf(t -> !t.plus(settings.dedupWindow()).isAfter(now));
            if (recent.putIfAbsent(e.dedupKey(), now) != null) {
                return;
            }
        }
        if (!queue.offer(e)) {
            count(dropped, droppedCounter);
            LOG.debugf("notification queue of %s full: %s %s dropped", spec.name(), e.app(), e.reason());
        }
    }

    private void run() {
        while (!closed) {
            DeployEvent e;
            try {
                e = queue.take();
            } catch (InterruptedException ex) {
                return;
            }
            if (!deliver(e)) {
                count(dropped, droppedCounter);
            }
        }
    }

    private boolean deliver(DeployEvent e) {
        byte[] body = Payloads.body(spec.type(), e);
        Map<String, String> headers = spec.secret() == null ? Map.of() : Map.of(Payloads.SIGNATURE_HEADER, Payloads.signature(spec.secret(), body));
        Duration backoff = settings.firstBackoff();
        for (int attempt = 1; !closed; attempt++) {
            String error;
            try {
                int status = poster.post(spec.url(), headers, body, spec.timeout());
                if (status / 100 == 2) {
                    succeeded();
                    return true;
                }
                error = "HTTP " + status;
            } catch (InterruptedException ex) {
                return false;
            } catch (Exception ex) {
                error = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getClass().getSimpleName() + ": " + ex.getMessage();
            }
            attemptFailed(error);
            if (attempt >= settings.maxAttempts()) {
                return false;
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException ex) {
                return false;
            }
            backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : backoff.multipliedBy(2);
        }
        return false;
    }

    private void succeeded() {
        count(sent, sentCounter);
        lastDelivery = clock.instant();
        if (failuresInARow >= FAILING_AFTER) {
            LOG.infof("notifications to %s delivered again after %d failed attempts", spec.name(), failuresInARow);
        }
        failuresInARow = 0;
    }

    private void attemptFailed(String error) {
        count(failed, failedCounter);
        lastError = error;
        lastErrorTime = clock.instant();
        failuresInARow++;
        if (failuresInARow == FAILING_AFTER) {
            LOG.warnf("notifications failing: receiver %s (%s): %s; retrying quietly until a delivery succeeds",
                    spec.name(), spec.displayUrl(), error);
        }
    }

    private static void count(AtomicLong n, Counter c) {
        n.incrementAndGet();
        if (c != null) {
            c.increment();
        }
    }

    ReceiverStatus status() {
        return new ReceiverStatus(spec.name(), spec.type().name().toLowerCase(Locale.ROOT), spec.displayUrl(), sent.get(), failed.get(), dropped.get(),
                queue.size(), lastDelivery, lastErrorTime, lastError, failuresInARow >= FAILING_AFTER);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
