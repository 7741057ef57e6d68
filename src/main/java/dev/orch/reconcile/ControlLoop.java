package dev.orch.reconcile;

import dev.orch.state.StateStore;
import dev.orch.systemd.ServiceDriver;
import dev.orch.systemd.StatusCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
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
    private final StatusCache statuses;
    /** Per worker: System.nanoTime() when its current reconcile started, 0 when idle (the watchdog reads it). */
    private final AtomicLongArray busySince;
    private final AtomicReferenceArray<String> busyWith;
    private volatile long resyncStarted;
    private volatile long resyncEnded;
    /** Apps known at start whose first reconcile has not finished yet (their routes may still be closed). */
    private final Set<String> firstPass = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public ControlLoop(StateStore store, ServiceDriver driver, StatusCache statuses, Reconciler reconciler, WorkQueue queue, Backoff backoff,
            ReconcileHooks hooks, int workers, Duration resync) {
        this.store = store;
        this.driver = driver;
        this.statuses = statuses;
        this.reconciler = reconciler;
        this.queue = queue;
        this.backoff = backoff;
        this.hooks = hooks;
        this.workers = workers;
        this.resync = resync;
        this.busySince = new AtomicLongArray(workers);
        this.busyWith = new AtomicReferenceArray<>(workers);
    }

    public synchronized void start(Duration unitPollInterval) {
        resyncEnded = System.nanoTime();
        try {
            firstPass.addAll(store.listApps());
        } catch (RuntimeException e) {
            LOG.errorf("cannot list the stored apps: %s", e.getMessage());
        }
        for (int i = 0; i < workers; i++) {
            int worker = i;
            Thread t = Thread.ofPlatform().name("orch-reconcile-" + i).daemon(true).start(() -> work(worker));
            threads.add(t);
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("orch-resync").daemon(true).unstarted(r));
        timer.scheduleWithFixedDelay(this::resyncAll, 0, resync.toMillis(), TimeUnit.MILLISECONDS);
        statuses.start(ev -> queue.add(ev.id().app()), unitPollInterval);
        LOG.infof("control loop started: %d workers, resync every %s", workers, resync);
    }

    /**
     * Waits until every app stored at start has been reconciled once, so a restarted orchd reports ready only
     * when the routes of the apps it adopted serve again. Returns false when {@code timeout} passed first.
     */
    public boolean awaitFirstPass(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!firstPass.isEmpty()) {
            if (System.nanoTime() > deadline) {
                LOG.warnf("not every app was reconciled within %s of start (still waiting: %s); reporting ready anyway", timeout, firstPass);
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    public void enqueue(String app) {
        queue.add(app);
    }

    public int queueDepth() {
        return queue.depth();
    }

    /** Reconciles every app now, off the periodic schedule (e.g. the router restarted and forgot its routes). */
    public synchronized void resyncNow() {
        if (timer != null) {
            timer.execute(this::resyncAll); // on the resync thread: one resync at a time, as the watchdog assumes
        }
    }

    /** Every app orch knows of: desired or stored state, and orch-marked units (orphans get removed). */
    void resyncAll() {
        resyncStarted = System.nanoTime();
        try {
            Set<String> apps = new LinkedHashSet<>(store.listApps());
            driver.list().forEach(i -> apps.add(i.id().app()));
            apps.forEach(queue::add);
        } catch (RuntimeException e) {
            LOG.errorf("resync failed: %s", e.getMessage());
        } finally {
            resyncEnded = System.nanoTime();
        }
    }

    /**
     * Why the loop is not making progress, if it is not: one reconcile, or the periodic resync, has been running
     * longer than {@code limit}, or no resync has run for its period plus {@code limit}. A reconcile is one
     * step (waits are requeues), so only a hung systemctl, file system or bug holds a worker that long.
     */
    public Optional<String> stalled(Duration limit, long nowNanos) {
        long max = limit.toNanos();
        for (int i = 0; i < busySince.length(); i++) {
            long since = busySince.get(i);
            if (since != 0 && nowNanos - since > max) {
                return Optional.of("reconcile of " + busyWith.get(i) + " running for " + Duration.ofNanos(nowNanos - since).toSeconds() + "s");
            }
        }
        long started = resyncStarted;
        long ended = resyncEnded;
        if (started > ended && nowNanos - started > max) {
            return Optional.of("resync running for " + Duration.ofNanos(nowNanos - started).toSeconds() + "s");
        }
        if (ended != 0 && started <= ended && nowNanos - ended > max + resync.toNanos()) {
            return Optional.of("no resync for " + Duration.ofNanos(nowNanos - ended).toSeconds() + "s");
        }
        return Optional.empty();
    }

    private void work(int worker) {
        try {
            Optional<String> next;
            while ((next = queue.take()).isPresent()) {
                busyWith.set(worker, next.get());
                busySince.set(worker, System.nanoTime());
                try {
                    runOne(next.get());
                } finally {
                    busySince.set(worker, 0);
                    firstPass.remove(next.get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One pass; whatever it throws (an Error too), the app is marked done and looked at again. */
    void runOne(String app) {
        long t0 = System.nanoTime();
        try {
            Result result = reconciler.reconcile(app);
            backoff.forget(app);
            String outcome = switch (result) {
                case Result.Done d -> "success";
                case Result.RequeueAfter r -> "requeue";
                case Result.Terminal t -> "stalled";
            };
            hooks.reconciled(app, outcome, System.nanoTime() - t0);
            queue.done(app);
            if (result.requeue() != null) {
                queue.addAfter(app, result.requeue().toNanos());
            }
        } catch (Throwable e) {
            Duration delay = backoff.nextDelay(app);
            try {
                LOG.warnf(e, "reconcile of %s failed (retry in %d ms): %s", app, delay.toMillis(), e.getMessage());
                reconciler.recordFailure(app, e);
                hooks.reconciled(app, "error", System.nanoTime() - t0);
            } catch (Throwable again) {
                // recording must never cost the app its retry
            } finally {
                queue.done(app);
                queue.addAfter(app, delay.toNanos());
            }
        }
    }

    @Override
    public synchronized void close() {
        statuses.close();
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
