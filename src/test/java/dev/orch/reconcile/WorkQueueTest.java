package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
    final AtomicLong now = new AtomicLong();
    final WorkQueue q = new WorkQueue(now::get);

    @Test
    void deduplicatesWaitingNames() {
        q.add("web");
        q.add("api");
        q.add("web");
        assertThat(q.depth()).isEqualTo(2);
        assertThat(q.poll()).contains("web");
        assertThat(q.poll()).contains("api");
        assertThat(q.poll()).isEmpty();
    }

    @Test
    void anAppInFlightIsNeverHandedOutTwiceButRunsOnceMoreIfAddedMeanwhile() {
        q.add("web");
        assertThat(q.poll()).contains("web");
        q.add("web");
        q.add("web");
        assertThat(q.poll()).as("in flight").isEmpty();
        q.done("web");
        assertThat(q.poll()).contains("web");
        q.done("web");
        assertThat(q.poll()).isEmpty();
    }

    @Test
    void delayedAddsComeDueOnTheClockAndKeepTheEarliest() {
        q.addAfter("web", TimeUnit.SECONDS.toNanos(30));
        q.addAfter("web", TimeUnit.SECONDS.toNanos(5));
        assertThat(q.poll()).isEmpty();
        now.addAndGet(TimeUnit.SECONDS.toNanos(5));
        assertThat(q.poll()).contains("web");
        q.done("web");
        now.addAndGet(TimeUnit.SECONDS.toNanos(60));
        assertThat(q.poll()).as("the later due time was merged away").isEmpty();
    }

    @Test
    void anImmediateAddOverridesAPendingDelay() {
        q.addAfter("web", TimeUnit.SECONDS.toNanos(30));
        q.add("web");
        assertThat(q.poll()).contains("web");
        q.done("web");
        now.addAndGet(TimeUnit.SECONDS.toNanos(31));
        assertThat(q.poll()).isEmpty();
    }

    @Test
    void aDelayedAddComingDueWhileInFlightRunsAfterwards() {
        q.add("web");
        assertThat(q.poll()).contains("web");
        q.addAfter("web", 10);
        now.addAndGet(10);
        assertThat(q.poll()).isEmpty();
        q.done("web");
        assertThat(q.poll()).contains("web");
    }

    @Test
    void workersRunAppsInParallelButNeverOneAppTwiceAtOnce() throws Exception {
        WorkQueue real = new WorkQueue();
        var running = new ConcurrentHashMap<String, AtomicInteger>();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger maxParallel = new AtomicInteger();
        AtomicInteger parallel = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        int workers = 4;
        CountDownLatch finished = new CountDownLatch(workers);
        for (int w = 0; w < workers; w++) {
            Thread.ofPlatform().start(() -> {
                try {
                    Optional<String> app;
                    while ((app = real.take()).isPresent()) {
                        String a = app.get();
                        if (running.computeIfAbsent(a, k -> new AtomicInteger()).incrementAndGet() > 1) {
                            overlaps.incrementAndGet();
                        }
                        maxParallel.accumulateAndGet(parallel.incrementAndGet(), Math::max);
                        Thread.sleep(2);
                        parallel.decrementAndGet();
                        running.get(a).decrementAndGet();
                        runs.incrementAndGet();
                        real.done(a);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    finished.countDown();
                }
            });
        }
        for (int i = 0; i < 2000; i++) {
            real.add("app-" + (i % 8));
            if (i % 50 == 0) {
                Thread.sleep(1);
            }
        }
        while (real.depth() > 0) {
            Thread.sleep(5);
        }
        Thread.sleep(50);
        real.shutdown();
        assertThat(finished.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(overlaps.get()).isZero();
        assertThat(maxParallel.get()).isGreaterThan(1);
        assertThat(runs.get()).as("deduplicated: far fewer runs than adds").isLessThan(2000);
    }
}
