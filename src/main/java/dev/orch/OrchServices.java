package dev.orch;

import dev.orch.config.OrchConfig;
import dev.orch.metrics.AppMetrics;
import dev.orch.metrics.ControlLoopMetrics;
import dev.orch.metrics.RouteMeters;
import dev.orch.probe.ProbeWorker;
import dev.orch.reconcile.Backoff;
import dev.orch.reconcile.ControlLoop;
import dev.orch.reconcile.PortAllocator;
import dev.orch.reconcile.ReconcileHooks;
import dev.orch.reconcile.Reconciler;
import dev.orch.reconcile.WorkQueue;
import dev.orch.route.RemoteRouter;
import dev.orch.route.RouteTable;
import dev.orch.route.Router;
import dev.orch.route.RouterOptions;
import dev.orch.route.VertxRouter;
import dev.orch.source.GitRepoSpec;
import dev.orch.source.GitSources;
import dev.orch.source.SourceEvents;
import dev.orch.state.ArtifactStore;
import dev.orch.state.StateStore;
import dev.orch.systemd.DriverMode;
import dev.orch.systemd.ProcessDriverConfig;
import dev.orch.systemd.ServiceDriver;
import dev.orch.systemd.ServiceDrivers;
import dev.orch.systemd.SystemdConfig;
import dev.orch.systemd.SystemdWatchdog;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The daemon's object graph, built once at start-up from {@link OrchConfig}: state store, service driver,
 * router, probes, reconciler and control loop. Plain classes wired by hand, so each stays testable alone.
 */
@ApplicationScoped
public class OrchServices {
    @Inject
    OrchConfig config;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    private StateStore store;
    private ServiceDriver driver;
    private Router router;
    private ProbeWorker probes;
    private Reconciler reconciler;
    private ControlLoop loop;
    private GitSources git;
    private SystemdWatchdog watchdog;
    private Runnable stopRouterWatch;
    /** Only in orch-router ({@code orch.role=router}): the routes it holds for orchd. */
    private RouteTable routeTable;

    void start(@Observes StartupEvent ev) {
        if (isRouter()) {
            routeTable = new RouteTable(new VertxRouter(vertx, new RouteMeters(registry), RouterOptions.defaults()));
            return;
        }
        store = new StateStore(config.stateDir());
        driver = ServiceDrivers.detect(DriverMode.parse(config.driver()), systemdConfig(), ProcessDriverConfig.defaults(config.stateDir().resolve("process")));
        RouteMeters routeMeters = new RouteMeters(registry);
        router = switch (config.route().mode()) {
            case "embedded" -> new VertxRouter(vertx, routeMeters, RouterOptions.defaults());
            case "unit" -> new RemoteRouter(vertx, config.route().socket());
            default -> throw new IllegalArgumentException("orch.route.mode=\"" + config.route().mode() + "\" is invalid: use embedded or unit");
        };
        probes = new ProbeWorker(vertx);
        WorkQueue queue = new WorkQueue();
        // the reconciler exists by the time a reconcile reports: the lambda reads the field then
        AppMetrics appMetrics = new AppMetrics(registry, store,
                (app, color) -> reconciler.lastObservation(app).map(o -> o.color(color).ready()).orElse(0), routeMeters::forget);
        ReconcileHooks hooks = new ControlLoopMetrics(registry, queue::depth, appMetrics::refresh);
        reconciler = new Reconciler(store, driver, router, probes, new ArtifactStore(store.artifactsDir()),
                portAllocator(config.ports().range()),
                Clock.systemUTC(), hooks, queue::add);
        config.testPauseAfter().ifPresent(spec -> {
            String[] parts = spec.split(":");
            reconciler.pauseAfter(dev.orch.state.RolloutPhase.fromWire(parts[0]), Duration.parse("PT" + parts[1].toUpperCase()));
        });
        loop = new ControlLoop(store, driver, reconciler, queue,
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> ThreadLocalRandom.current().nextDouble()),
                hooks, config.reconcile().workers(), config.reconcile().resync());
        loop.start(config.reconcile().unitPoll());
        if (router instanceof RemoteRouter remote) {
            stopRouterWatch = remote.watchRestarts(loop::resyncNow, Duration.ofSeconds(1));
        }
        Duration stallAfter = config.watchdog().stallAfter();
        watchdog = SystemdWatchdog.start(() -> loop.stalled(stallAfter, System.nanoTime())).orElse(null);
        git = new GitSources(gitRepos(), store, new SourceEvents() {
            @Override
            public void enqueue(String app) {
                loop.enqueue(app);
            }

            @Override
            public void condition(String app, dev.orch.state.Condition c, dev.orch.state.AppEvent e) {
                reconciler.note(app, a -> e == null ? a.withCondition(c) : a.withCondition(c).withEvent(e));
            }
        }, Clock.systemUTC(), registry);
        git.start();
    }

    private List<GitRepoSpec> gitRepos() {
        return config.git().repos().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).map(e -> {
            OrchConfig.Git.Repo r = e.getValue();
            return new GitRepoSpec(e.getKey(), r.url(), r.branch(), r.path(), r.poll(), r.tokenFile().orElse(null), r.username().orElse(null),
                    r.passwordFile().orElse(null), r.sshKeyFile().orElse(null), r.knownHostsFile().orElse(null), r.webhookSecretFile().orElse(null));
        }).toList();
    }

    void stop(@Observes ShutdownEvent ev) {
        // apps are separate units: stopping orchd stops the loop and the route listeners, never the apps
        if (watchdog != null) {
            watchdog.close();
        }
        if (stopRouterWatch != null) {
            stopRouterWatch.run();
        }
        if (git != null) {
            git.close();
        }
        if (loop != null) {
            loop.close();
        }
        if (reconciler != null && !(router instanceof RemoteRouter)) {
            reconciler.closeRoutes(); // routes in orch-router keep serving while orchd is down
        }
        if (router != null) {
            router.close();
        }
        if (routeTable != null) {
            routeTable.close();
        }
        if (probes != null) {
            probes.close();
        }
        if (driver != null) {
            driver.close();
        }
    }

    static PortAllocator portAllocator(String range) {
        String[] parts = range.split("-");
        try {
            if (parts.length == 2) {
                return new PortAllocator(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()), PortAllocator::bindable);
            }
        } catch (IllegalArgumentException e) {
            // reported below with the key and what is allowed
        }
        throw new IllegalArgumentException("orch.ports.range=\"" + range + "\" is invalid: use FIRST-LAST within 1-65535, e.g. 20000-29999");
    }

    private SystemdConfig systemdConfig() {
        OrchConfig.Systemd s = config.systemd();
        SystemdConfig base = "user".equals(s.scope()) ? SystemdConfig.user(Path.of(System.getProperty("user.home"))) : SystemdConfig.system();
        // system scope keeps env files (secrets) under the state dir, so a scratch state dir is self-contained
        String envDir = "user".equals(s.scope()) ? base.envDir() : config.stateDir().resolve("env").toString();
        return new SystemdConfig(base.scope(), s.root(), s.unitDir().orElse(base.unitDir()),
                s.envDir().orElse(envDir), s.commandPrefix().orElse(List.of()));
    }

    public boolean isRouter() {
        return config.isRouter();
    }

    public RouteTable routeTable() {
        return routeTable;
    }

    public StateStore store() {
        return store;
    }

    public ControlLoop loop() {
        return loop;
    }

    public Reconciler reconciler() {
        return reconciler;
    }

    public GitSources git() {
        return git;
    }

    public ServiceDriver driver() {
        return driver;
    }
}
