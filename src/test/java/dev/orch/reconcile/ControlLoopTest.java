package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.probe.ProbeWorker;
import dev.orch.state.ActualState;
import dev.orch.state.Condition;
import dev.orch.state.ConditionStatus;
import dev.orch.state.ConditionType;
import dev.orch.state.Source;
import dev.orch.state.StateStore;
import dev.orch.systemd.InstanceId;
import dev.orch.systemd.InstanceStatus;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop around the reconciler: failures are recorded on the app and retried with growing delays. */
class ControlLoopTest {
    @TempDir
    Path dir;

    Vertx vertx = Vertx.vertx();
    ControlLoop loop;

    /** The service manager is down until {@code healthy} is set; every status call is timed. */
    static final class FlakyDriver extends StandIns.AlwaysRunning {
        final AtomicBoolean healthy = new AtomicBoolean();
        final List<Long> calls = new CopyOnWriteArrayList<>();

        @Override
        public InstanceStatus status(InstanceId id) {
            calls.add(System.nanoTime());
            if (!healthy.get()) {
                throw new dev.orch.systemd.DriverException("systemctl: Failed to connect to bus", null);
            }
            return super.status(id);
        }
    }

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.close();
        }
        vertx.close();
    }

    /** The loop over one deployed app, "web", live in blue, with {@code driver} as the service manager. */
    StateStore startLoop(StandIns.AlwaysRunning driver) {
        StateStore store = new StateStore(dir);
        var d = ResyncBench.deployment("web", 31000);
        store.updateDesired(d, Source.APPLY);
        String hash = RevisionHash.of(d.spec().template(), null);
        store.putRevision("web", new dev.orch.state.Revision(1, hash, d, Source.APPLY, java.time.Instant.now()));
        store.writeActual("web", ActualState.EMPTY
                .withColor(dev.orch.state.Color.BLUE, new dev.orch.state.ColorState(1, hash, List.of(20000), List.of("orch-web-blue-0.service"), java.time.Instant.now()))
                .withLive(dev.orch.state.Color.BLUE));
        WorkQueue queue = new WorkQueue();
        Wiring w = Wiring.of(store, driver, new StandIns.LiveRouter(), new ProbeWorker(vertx), new PortAllocator(20000, 20100, p -> true), queue::add);
        loop = new ControlLoop(store, driver, w.statuses(), w.reconciler(), queue, new Backoff(Duration.ofMillis(20), Duration.ofSeconds(1), () -> 0.5),
                ReconcileHooks.NOOP, 2, Duration.ofHours(1));
        loop.start(Duration.ofHours(1));
        return store;
    }

    @Test
    void aFailingReconcileIsRecordedAndRetriedWithBackoffUntilItSucceeds() {
        FlakyDriver driver = new FlakyDriver();
        StateStore store = startLoop(driver);

        await().atMost(Duration.ofSeconds(10)).until(() -> driver.calls.size() >= 5);
        Condition degraded = store.readActual("web").orElseThrow().condition(ConditionType.DEGRADED);
        assertThat(degraded.status()).isEqualTo(ConditionStatus.TRUE);
        assertThat(degraded.reason()).isEqualTo("ReconcileError");
        assertThat(degraded.message()).contains("Failed to connect to bus");
        assertThat(store.readActual("web").orElseThrow().events()).filteredOn(e -> e.reason().equals("ReconcileError")).hasSize(1);
        List<Long> t = List.copyOf(driver.calls);
        long first = t.get(2) - t.get(1);
        long later = t.get(4) - t.get(3);
        assertThat(later).as("delays grow (20 ms, 40, 80, 160 ...)").isGreaterThan(first);

        driver.healthy.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                store.readActual("web").orElseThrow().condition(ConditionType.DEGRADED).status() == ConditionStatus.FALSE);
    }

    /** Throws an Error (not an exception) from its first status calls: a bug deep in a driver. */
    static final class ErrorDriver extends StandIns.AlwaysRunning {
        final AtomicInteger errors = new AtomicInteger(2);
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public InstanceStatus status(InstanceId id) {
            calls.incrementAndGet();
            if (errors.getAndDecrement() > 0) {
                throw new AssertionError("driver bug");
            }
            return super.status(id);
        }
    }

    @Test
    void aReconcileThatThrowsAnErrorIsRecordedAndTheAppIsReconciledAgain() {
        ErrorDriver driver = new ErrorDriver();
        StateStore store = startLoop(driver);

        await().atMost(Duration.ofSeconds(10)).until(() -> driver.calls.get() >= 3);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                store.readActual("web").orElseThrow().condition(ConditionType.DEGRADED) != null
                        && store.readActual("web").orElseThrow().condition(ConditionType.DEGRADED).status() == ConditionStatus.FALSE);
        ActualState a = store.readActual("web").orElseThrow();
        assertThat(a.events()).filteredOn(e -> e.reason().equals("ReconcileError")).singleElement()
                .satisfies(e -> assertThat(e.message()).isEqualTo("driver bug"));
        assertThat(a.condition(ConditionType.AVAILABLE).status()).as("reconciled to the end afterwards").isEqualTo(ConditionStatus.TRUE);
    }

    /** A service manager that hangs on every status call until released (a wedged systemctl). */
    static final class HangingDriver extends StandIns.AlwaysRunning {
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        final AtomicBoolean entered = new AtomicBoolean();

        @Override
        public InstanceStatus status(InstanceId id) {
            entered.set(true);
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.status(id);
        }
    }

    @Test
    void aReconcileThatHangsIsReportedAsStalledForTheWatchdogUntilItReturns() {
        HangingDriver driver = new HangingDriver();
        startLoop(driver);
        await().atMost(Duration.ofSeconds(10)).untilTrue(driver.entered);
        Duration limit = Duration.ofMillis(200);
        assertThat(loop.stalled(Duration.ofMinutes(5), System.nanoTime())).as("not yet past the limit").isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.stalled(limit, System.nanoTime()).isPresent());
        assertThat(loop.stalled(limit, System.nanoTime()).orElseThrow()).startsWith("reconcile of web running for");

        driver.release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> loop.stalled(limit, System.nanoTime()).isEmpty());
    }
}
