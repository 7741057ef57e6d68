package dev.orch.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReloadBatcherTest {
    @Test
    void concurrentWritersShareReloads() throws Exception {
        AtomicInteger reloads = new AtomicInteger();
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ReloadBatcher b = new ReloadBatcher(() -> {
            if (reloads.incrementAndGet() == 1) {
                firstRunning.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        Thread first = Thread.ofPlatform().start(() -> b.await(b.written()));
        firstRunning.await();
        // 20 writers arrive while the first reload runs: they wait for it, then share one more
        List<Thread> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long ticket = b.written();
            others.add(Thread.ofPlatform().start(() -> b.await(ticket)));
        }
        Thread.sleep(100);
        release.countDown();
        first.join(5000);
        for (Thread t : others) {
            t.join(5000);
        }
        assertEquals(2, reloads.get(), "one reload for the first writer, one shared by the 20 that came during it");
        assertEquals(2, b.reloads());
    }

    @Test
    void aWriteAfterAReloadStartedGetsAnotherOne() {
        AtomicInteger reloads = new AtomicInteger();
        ReloadBatcher b = new ReloadBatcher(reloads::incrementAndGet);
        b.await(b.written());
        b.await(b.written());
        assertEquals(2, reloads.get());
        long t = b.written();
        b.await(t);
        b.await(t); // covered already: no reload
        assertEquals(3, reloads.get());
    }

    @Test
    void aFailedReloadFailsItsWriterAndTheNextOneRetries() {
        AtomicInteger calls = new AtomicInteger();
        ReloadBatcher b = new ReloadBatcher(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new DriverException("daemon-reload: refused");
            }
        });
        long t = b.written();
        assertThrows(DriverException.class, () -> b.await(t));
        b.await(t);
        assertEquals(2, calls.get());
    }

    @Test
    void withSignalsThePollIsASafetyNet() {
        assertEquals(Duration.ofSeconds(1), SystemdDriver.pollInterval(Duration.ofSeconds(1), false));
        assertEquals(SystemdDriver.SAFETY_NET_POLL, SystemdDriver.pollInterval(Duration.ofSeconds(1), true));
        assertEquals(Duration.ofHours(1), SystemdDriver.pollInterval(Duration.ofHours(1), true));
        assertTrue(SystemdDriver.SAFETY_NET_POLL.compareTo(Duration.ofSeconds(30)) >= 0);
    }
}
