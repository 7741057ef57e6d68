package dev.orch;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;

/** orchd's life: everything runs in beans started with Quarkus; this just waits for SIGTERM. */
public class Daemon implements QuarkusApplication {
    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }
}
