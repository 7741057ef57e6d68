package dev.orch;

import dev.orch.api.ReservedPorts;
import dev.orch.artifact.ReleaseChannels;
import dev.orch.config.OrchConfig;
import dev.orch.intake.Intake;
import dev.orch.metrics.RouteMeters;
import dev.orch.notify.Notifier;
import dev.orch.reconcile.AppQueries;
import dev.orch.reconcile.ControlLoop;
import dev.orch.route.RouteTable;
import dev.orch.route.RouterOptions;
import dev.orch.route.VertxRouter;
import dev.orch.source.GitSources;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

/**
 * Builds the root of this process's role at start-up, {@link DaemonRoot} for orchd or a {@link RouteTable} for
 * orch-router ({@code orch.role=router}), and hands the REST resources only the narrow pieces they use. A piece
 * of the other role is null; {@code ApiAuth} answers 404 for the other role's paths before any resource runs.
 */
@ApplicationScoped
public class Roots {
    @Inject
    OrchConfig config;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    @Inject
    ReservedPorts reservedPorts;

    private volatile DaemonRoot daemon;
    private volatile RouteTable routeTable;

    void start(@Observes StartupEvent ev) {
        if (config.isRouter()) {
            // saved in the state dir, re-opened before the router reports ready (docs/route.md)
            routeTable = new RouteTable(new VertxRouter(vertx, new RouteMeters(registry), routerOptions(config.route()), edgeOptions(config.route())),
                    config.stateDir().resolve(RouteTable.FILE));
            routeTable.restore();
        } else {
            daemon = new DaemonRoot(config, vertx, registry, reservedPorts.ports());
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        if (daemon != null) {
            daemon.close();
        }
        if (routeTable != null) {
            routeTable.close();
        }
    }

    public boolean isRouter() {
        return config.isRouter();
    }

    /** orchd only. */
    public ControlLoop loop() {
        return daemon.loop();
    }

    /** orchd's root once start-up built it, for the health checks; empty before that and in orch-router. */
    public java.util.Optional<DaemonRoot> daemon() {
        return java.util.Optional.ofNullable(daemon);
    }

    @Produces
    @Dependent
    Intake intake() {
        return daemon == null ? null : daemon.intake();
    }

    @Produces
    @Dependent
    dev.orch.config.HostIdentity host() {
        return daemon == null ? null : daemon.host();
    }

    @Produces
    @Dependent
    AppQueries queries() {
        return daemon == null ? null : daemon.queries();
    }

    @Produces
    @Dependent
    GitSources git() {
        return daemon == null ? null : daemon.git();
    }

    @Produces
    @Dependent
    ReleaseChannels channels() {
        return daemon == null ? null : daemon.channels();
    }

    @Produces
    @Dependent
    Notifier notifier() {
        return daemon == null ? null : daemon.notifier();
    }

    @Produces
    @Dependent
    dev.orch.secrets.Sealer sealer() {
        return daemon == null ? null : daemon.sealer();
    }

    @Produces
    @Dependent
    RouteTable routeTable() {
        return routeTable;
    }

    /** Where the shared listeners of routes with hosts bind. */
    static dev.orch.route.EdgeOptions edgeOptions(OrchConfig.Route route) {
        return new dev.orch.route.EdgeOptions(route.bindAddress(), route.httpPort(), route.httpsPort(),
                dev.orch.route.EdgeOptions.DEFAULT_CERTIFICATE_POLL_MILLIS);
    }

    /** The route engine's options: the defaults, with the client timeouts of the config. */
    static RouterOptions routerOptions(OrchConfig.Route route) {
        return RouterOptions.defaults().withClientTimeouts(route.headerTimeout().toMillis(), route.keepAliveTimeout().toMillis())
                .withLimits(route.responseTimeout().toMillis(), route.maxRequestBody().asLongValue());
    }
}
