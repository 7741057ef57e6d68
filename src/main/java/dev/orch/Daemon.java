package dev.orch;

import dev.orch.systemd.SystemdNotify;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;

/**
 * orchd's life: everything runs in beans started with Quarkus. Once started (API listening, control loop
 * running) it tells systemd it is ready, then waits for SIGTERM.
 */
public class Daemon implements QuarkusApplication {
    @Override
    public int run(String... args) {
        SystemdNotify.ready();
        Quarkus.waitForExit();
        return 0;
    }
}
