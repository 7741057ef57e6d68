package dev.orch.artifact;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The artifact adapters' background timers: one daemon thread each, named for thread dumps. */
final class Timers {
    private Timers() {}

    static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
