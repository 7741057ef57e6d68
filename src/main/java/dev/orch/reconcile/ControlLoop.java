package dev.orch.reconcile;

import dev.orch.state.StateStore;
import dev.orch.systemd.ServiceDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs reconciles: a few worker threads take app names from the {@link WorkQueue}; a periodic resync
 * enqueues every app orch knows (desired, stored, or with orch-marked units); unit state changes, probe
 * transitions and API calls enqueue single apps. A failed reconcile is retried with {@link Backoff}.
 */
public final class ControlLoop implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlLoop.class);

    private final StateStore store;
    private final ServiceDriver driver;
    private final Reconciler reconciler;
    private final WorkQueue queue;
    private final Backoff backoff;
    private final ReconcileHooks hooks;
    private final int workers;
    private final Duration resync;
    private final List<Thread> threads = new ArrayList<>();
    private ScheduledExecutorService timer;
    private ServiceDriver.Subscription unitEvents;

    public ControlLoop(StateStore store, ServiceDriver driver, Reconciler reconciler, WorkQueue queue, Backoff backoff,
            ReconcileHooks hooks, int workers, Duration resync) {
        this.store = store;
        this.driver = driver;
        this.reconciler = reconciler;
        this.queue = queue;
        this.backoff = backoff;
        this.hooks = hooks;
        this.workers = workers;
        this.resync = resync;
    }

    public synchronized void start(Duration unitPollInterval) {
        for (int i = 0; i < workers; i++) {
            Thread t = Thread.ofPlatform().name("orch-reconcile-" + i).daemon(true).start(this::work);
            threads.add(t);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("orch-resync").daemon(true).unstarted(r));
        timer.scheduleWithFixedDelay(this::resyncAll, 0, resync.toMillis(), TimeUnit.MILLISECONDS);
        unitEvents = driver.watch(ev -> queue.add(ev.id().app()), unitPollInterval);
        LOG.infof("control loop started: %d workers, resync every %s", workers, resync);
    }

    public void enqueue(String app) {
        queue.add(app);
    }

    public int queueDepth() {
        return queue.depth();
    }

    /** Every app orch knows of: desired or stored state, and orch-marked units (orphans get removed). */
    void resyncAll() {
        try {
            Set<String> apps = new LinkedHashSet<>(store.listApps());
            driver.list().forEach(i -> apps.add(i.id().app()));
            apps.forEach(queue::add);
        } catch (RuntimeException e) {
            LOG.errorf("resync failed: %s", e.getMessage());
        }
    }

    private void work() {
        try {
            Optional<String> next;
            while ((next = queue.take()).isPresent()) {
                runOne(next.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runOne(String app) {
        long t0 = System.nanoTime();
        try {
            Duration again = reconciler.reconcile(app);
            backoff.forget(app);
            reconciler.recordSuccess(app);
            hooks.reconciled(app, again == null ? "success" : "requeue", System.nanoTime() - t0);
            queue.done(app);
            if (again != null) {
                queue.addAfter(app, again.toNanos());
            }
        } catch (RuntimeException e) {
            Duration delay = backoff.nextDelay(app);
            LOG.warnf(e, "reconcile of %s failed (retry in %d ms): %s", app, delay.toMillis(), e.getMessage());
            reconciler.recordFailure(app, e);
            hooks.reconciled(app, "error", System.nanoTime() - t0);
            queue.done(app);
            queue.addAfter(app, delay.toNanos());
        }
    }

    @Override
    public synchronized void close() {
        if (unitEvents != null) {
            unitEvents.close();
        }
        if (timer != null) {
            timer.shutdownNow();
        }
        queue.shutdown();
        for (Thread t : threads) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
