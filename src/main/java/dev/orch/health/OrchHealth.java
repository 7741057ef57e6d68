package dev.orch.health;

import dev.orch.DaemonRoot;
import dev.orch.Roots;
import dev.orch.config.OrchConfig;
import dev.orch.source.RepoStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * orchd's health on the management listener: live while the control loop makes progress (the watchdog's own
 * test); ready once start-up is done, while the state directory takes writes and every git repository's last
 * fetch succeeded. Each check reads what the daemon already knows (no fetch, no lock a sync holds), so a slow
 * or unreachable remote never blocks the endpoint. orch-router reports only that it runs.
 */
public final class OrchHealth {
    /** A repository that fetched but refused manifests still serves its last good commit: not a fetch failure. */
    static final Set<String> FETCHED = Set.of("Synced", "ManifestErrors", "NothingPruned");

    private OrchHealth() {}

    @Liveness
    @ApplicationScoped
    public static class ControlLoopProgress implements HealthCheck {
        @Inject
        Roots roots;

        @Inject
        OrchConfig config;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("control-loop");
            Optional<DaemonRoot> d = roots.daemon();
            if (d.isEmpty()) {
                return b.up().withData("role", roots.isRouter() ? "orch-router" : "starting").build();
            }
            Optional<String> stalled = d.get().loop().stalled(config.watchdog().stallAfter(), System.nanoTime());
            return stalled.map(s -> b.down().withData("stalled", s + " (orch.watchdog.stall-after " + config.watchdog().stallAfter() + ")"))
                    .orElseGet(b::up).build();
        }
    }

    @Readiness
    @ApplicationScoped
    public static class StateDirWritable implements HealthCheck {
        @Inject
        Roots roots;

        @Inject
        OrchConfig config;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("state-dir").withData("path", config.stateDir().toString());
            if (roots.isRouter()) {
                return b.up().build();
            }
            if (roots.daemon().isEmpty()) {
                return b.down().withData("error", "orchd is still starting").build();
            }
            Path probe = config.stateDir().resolve(".health-probe");
            try {
                Files.writeString(probe, "ok\n");
                Files.delete(probe);
                return b.up().build();
            } catch (IOException e) {
                return b.down().withData("error", "cannot write " + probe + ": " + e.getMessage()).build();
            }
        }
    }

    @Readiness
    @ApplicationScoped
    public static class GitSync implements HealthCheck {
        @Inject
        Roots roots;

        @Override
        public HealthCheckResponse call() {
            HealthCheckResponseBuilder b = HealthCheckResponse.named("git");
            Optional<DaemonRoot> d = roots.daemon();
            if (d.isEmpty()) {
                return roots.isRouter() ? b.up().build() : b.down().withData("error", "orchd is still starting").build();
            }
            boolean up = true;
            for (RepoStatus s : d.get().git().statuses()) {
                boolean fetched = "True".equals(s.ready()) || FETCHED.contains(s.reason());
                up &= fetched;
                b.withData(s.name(), (fetched ? "fetched" : "not fetched") + ": " + s.reason() + (s.message() == null ? "" : ": " + s.message())
                        + (s.lastSuccess() == null ? "" : " (last success " + s.lastSuccess() + ")"));
            }
            return b.status(up).build();
        }
    }
}
