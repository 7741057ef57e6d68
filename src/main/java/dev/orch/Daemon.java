package dev.orch;

import dev.orch.api.OrchGroup;
import dev.orch.config.OrchConfig;
import dev.orch.systemd.SystemdNotify;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * orchd's life: everything runs in beans started with Quarkus. Once started (API listening, control loop
 * running) it opens the API socket to orch's group, waits until every app it found has been reconciled once
 * (their routes serve again), tells systemd it is ready, then waits for SIGTERM.
 */
public class Daemon implements QuarkusApplication {
    private static final Logger LOG = Logger.getLogger(Daemon.class);

    @Inject
    OrchConfig config;

    @Inject
    Roots services;

    @Override
    public int run(String... args) {
        if (services.isRouter()) {
            LOG.infof("orch-router: serving the apps' routes for orchd; control socket %s", config.route().socket());
            SystemdNotify.ready();
            Quarkus.waitForExit();
            return 0;
        }
        try {
            // the socket is created 0600 (orchd.service's UMask); members of orch.api.group may call the API too
            if (OrchGroup.share(config.api().socket(), config.api().group(), "rw-rw----")) {
                LOG.infof("API socket %s: read-write for group %s", config.api().socket(), config.api().group());
            }
        } catch (IOException e) {
            LOG.warnf("cannot open the API socket %s to group %s: %s", config.api().socket(), config.api().group(), e.getMessage());
        }
        try {
            // ready means serving: a restarted orchd first re-opens the routes of the apps it adopts
            services.loop().awaitFirstPass(Duration.ofSeconds(60));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
        SystemdNotify.ready();
        Quarkus.waitForExit();
        return 0;
    }
}
