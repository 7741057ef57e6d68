package dev.orch.systemd;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One {@code daemon-reload} for a burst of unit writes (group commit): a writer takes a ticket after writing its
 * files and waits until a reload that started after its write has finished. While one reload runs, the writers
 * that arrive meanwhile wait for it and then share the next one, so N concurrent installs cost about two
 * reloads, not N. A failed reload fails the writers it was run for; the next writer tries again.
 */
final class ReloadBatcher {
    private final Runnable reload;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    /** Tickets handed out: one per write that needs a reload. */
    private long written;
    /** Every ticket up to this one is covered by a reload that finished. */
    private long covered;
    private boolean running;
    private long reloads;

    ReloadBatcher(Runnable reload) {
        this.reload = reload;
    }

    /** Call after the unit files are written; returns the ticket to pass to {@link #await}. */
    long written() {
        lock.lock();
        try {
            return ++written;
        } finally {
            lock.unlock();
        }
    }

    /** Returns once a reload that started after ticket {@code ticket} was taken has finished; throws if it failed. */
    void await(long ticket) {
        lock.lock();
        try {
            while (covered < ticket) {
                if (running) {
                    finished.awaitUninterruptibly();
                    continue;
                }
                running = true;
                long covers = written;
                RuntimeException failure = null;
                lock.unlock();
                try {
                    reload.run();
                } catch (RuntimeException e) {
                    failure = e;
                } finally {
                    lock.lock();
                    running = false;
                    reloads++;
                    if (failure == null) {
                        covered = Math.max(covered, covers);
                    }
                    finished.signalAll();
                }
                if (failure != null) {
                    throw failure;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Reloads run so far (tests and logs). */
    long reloads() {
        lock.lock();
        try {
            return reloads;
        } finally {
            lock.unlock();
        }
    }
}
