package dev.orch;

import dev.orch.artifact.DownloadSettings;
import dev.orch.artifact.HttpArtifactDownloader;
import dev.orch.artifact.ReleaseChannels;
import dev.orch.secrets.AgeException;
import dev.orch.secrets.AgeTool;
import dev.orch.secrets.Sealer;
import dev.orch.secrets.SealingKeys;
import dev.orch.artifact.ReleaseWatcher;
import dev.orch.artifact.StoreHygiene;
import dev.orch.config.OrchConfig;
import dev.orch.config.HostIdentity;
import dev.orch.intake.Intake;
import dev.orch.metrics.HostMetrics;
import dev.orch.metrics.AppMetrics;
import dev.orch.metrics.ControlLoopMetrics;
import dev.orch.metrics.ArtifactMetrics;
import dev.orch.metrics.RouteMeters;
import dev.orch.notify.Notifier;
import dev.orch.probe.ProbeWorker;
import dev.orch.reconcile.AppQueries;
import dev.orch.reconcile.Backoff;
import dev.orch.reconcile.ControlLoop;
import dev.orch.reconcile.DriverExecutor;
import dev.orch.reconcile.Executor;
import dev.orch.reconcile.Observer;
import dev.orch.reconcile.OpenRoutes;
import dev.orch.reconcile.PausingExecutor;
import dev.orch.reconcile.PortAllocator;
import dev.orch.reconcile.ReconcileHooks;
import dev.orch.reconcile.Reconciler;
import dev.orch.reconcile.SmokeVerdicts;
import dev.orch.reconcile.StatusWriter;
import dev.orch.reconcile.WorkQueue;
import dev.orch.smoke.HttpSmokeClient;
import dev.orch.route.RemoteRouter;
import dev.orch.route.Router;
import dev.orch.route.VertxRouter;
import dev.orch.source.GitRepoSpec;
import dev.orch.source.VerifySpec;
import dev.orch.source.GitSources;
import dev.orch.state.ArtifactStore;
import dev.orch.state.StateStore;
import dev.orch.state.StatusInbox;
import dev.orch.systemd.DriverMode;
import dev.orch.systemd.ProcessDriverConfig;
import dev.orch.systemd.ServiceDriver;
import dev.orch.systemd.ServiceDrivers;
import dev.orch.systemd.StatusCache;
import dev.orch.systemd.SystemdConfig;
import dev.orch.systemd.SystemdWatchdog;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * orchd's object graph, built once from {@link OrchConfig}: state store, service driver and its status cache,
 * router, probes, intake, observer, executor, status writer and control loop, git sources. Plain classes wired by
 * hand, so each stays testable alone; the API gets only {@link #intake()}, {@link #queries()} and {@link #git()}.
 */
public final class DaemonRoot implements AutoCloseable {
    private final StateStore store;
    private final ServiceDriver driver;
    private final Router router;
    private final ProbeWorker probes;
    private final DriverExecutor executor;
    private final ControlLoop loop;
    private final Intake intake;
    private final AppQueries queries;
    private final GitSources git;
    private final SystemdWatchdog watchdog;
    private final Runnable stopRouterWatch;
    private final ReleaseWatcher releases;
    private final ReleaseChannels channels;
    private final StoreHygiene hygiene;
    private final Notifier notifier;
    private final Sealer sealer;
    private final HostIdentity host;

    /** @param reservedPorts the ports orchd's own listeners hold, which no app's route may take */
    public DaemonRoot(OrchConfig config, Vertx vertx, MeterRegistry registry, Map<Integer, String> reservedPorts) {
        Clock clock = Clock.systemUTC();
        store = new StateStore(config.stateDir(), clock, config.audit().maxFileSize().asLongValue());
        driver = ServiceDrivers.detect(DriverMode.parse(config.driver()), systemdConfig(config), config.systemd().busSocket(),
                ProcessDriverConfig.defaults(config.stateDir().resolve("process")));
        RouteMeters routeMeters = new RouteMeters(registry);
        router = switch (config.route().mode()) {
            case "embedded" -> new VertxRouter(vertx, routeMeters, Roots.routerOptions(config.route()), Roots.edgeOptions(config.route()));
            case "unit" -> new RemoteRouter(vertx, config.route().socket());
            default -> throw new IllegalArgumentException("orch.route.mode=\"" + config.route().mode() + "\" is invalid: use embedded or unit");
        };
        probes = new ProbeWorker(vertx);
        WorkQueue queue = new WorkQueue();
        StatusInbox inbox = new StatusInbox();
        StatusCache statuses = new StatusCache(driver);
        OpenRoutes routes = new OpenRoutes();
        ArtifactStore artifacts = new ArtifactStore(store.artifactsDir());
        releases = releaseWatcher(queue::add);
        HttpArtifactDownloader downloads = downloader(artifacts, config.artifacts(), registry);
        channels = new ReleaseChannels(downloads, queue::add);
        sealer = sealer(config.stateDir());
        SmokeVerdicts smokeVerdicts = new SmokeVerdicts();
        executor = new DriverExecutor(store, driver, statuses, router, routes, probes, artifacts,
                downloads, releases, channels,
                portAllocator(config.ports().range()),
                inbox, clock, queue::add, sealer, new HttpSmokeClient(), smokeVerdicts);
        Executor effects = config.testPauseAfter().<Executor>map(spec -> PausingExecutor.parse(executor, spec)).orElse(executor);
        notifier = Notifier.fromConfig(config.notifications(), registry, clock,
                (app, n) -> store.readRevision(app, n).map(r -> r.source().revision()).orElse(null));
        Reconciler[] self = new Reconciler[1]; // the metrics read the reconciler's view once it exists
        AppMetrics appMetrics = new AppMetrics(registry, store, (app, color) -> self[0].ready(app, color), routeMeters::forget);
        ReconcileHooks hooks = new ControlLoopMetrics(registry, queue::depth, appMetrics::refresh);
        Reconciler reconciler = new Reconciler(inbox, new Observer(store, driver, statuses, probes, artifacts, releases, channels, routes, clock, smokeVerdicts),
                effects,
                new StatusWriter(store, clock, notifier), hooks);
        self[0] = reconciler;
        queries = new AppQueries(store, reconciler, driver.kind());
        intake = new Intake(store, inbox, queue::add, clock);
        host = HostIdentity.of(config.host());
        intake.hostLabels(host.labels());
        HostMetrics.register(registry, host.name(), host.machineId(), host.labels());
        loop = new ControlLoop(store, driver, statuses, reconciler, queue,
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), () -> ThreadLocalRandom.current().nextDouble()),
                hooks, config.reconcile().workers(), config.reconcile().resync());
        loop.start(config.reconcile().unitPoll());
        releases.start();
        channels.start(config.artifacts().channelPoll());
        hygiene = new StoreHygiene(store, artifacts, clock);
        hygiene.start(Duration.ofMinutes(10));
        stopRouterWatch = router instanceof RemoteRouter remote ? remote.watchRestarts(loop::resyncNow, Duration.ofSeconds(1)) : null;
        Duration stallAfter = config.watchdog().stallAfter();
        watchdog = SystemdWatchdog.start(() -> loop.stalled(stallAfter, System.nanoTime())).orElse(null);
        git = new GitSources(gitRepos(config), store, intake, clock, registry);
        intake.ownership(git);
        intake.reservedPorts(reservedPorts);
        git.onSync(notifier::synced);
        notifier.commitInfo(rev -> git.commitInfo(rev).orElse(null));
        git.start();
    }

    private static ReleaseWatcher releaseWatcher(java.util.function.Consumer<String> wake) {
        try {
            return new ReleaseWatcher(wake);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot watch artifact files: " + e.getMessage(), e);
        }
    }

    private static HttpArtifactDownloader downloader(ArtifactStore artifacts, OrchConfig.Artifacts c, MeterRegistry registry) {
        try {
            return new HttpArtifactDownloader(artifacts, downloadSettings(c), new ArtifactMetrics(registry, artifacts::sizeBytes));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The download settings, refusing a proxy that is not {@code http://host:port} at start-up. */
    static DownloadSettings downloadSettings(OrchConfig.Artifacts c) {
        Optional<URI> proxy = c.proxy().filter(p -> !p.isBlank()).map(p -> {
            URI u = URI.create(p);
            if (!"http".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 0) {
                throw new IllegalArgumentException("orch.artifacts.proxy=\"" + p + "\" is invalid: use http://host:port");
            }
            return u;
        });
        return new DownloadSettings(c.caBundle(), proxy, c.connectTimeout(), c.responseTimeout());
    }

    /** Release channels, looked at again at once by {@code orchctl sync} and the webhooks. */
    public ReleaseChannels channels() {
        return channels;
    }

    public HostIdentity host() {
        return host;
    }

    public Intake intake() {
        return intake;
    }

    public AppQueries queries() {
        return queries;
    }

    public GitSources git() {
        return git;
    }

    public ControlLoop loop() {
        return loop;
    }

    public Sealer sealer() {
        return sealer;
    }

    /** The host's sealing keys, the first one made on first start; null (secrets stall) without the age command. */
    private static Sealer sealer(java.nio.file.Path stateDir) {
        AgeTool age = AgeTool.fromPath();
        SealingKeys keys = new SealingKeys(stateDir, age);
        try {
            keys.ensure();
            return new Sealer(keys, age);
        } catch (AgeException | java.io.UncheckedIOException e) {
            org.jboss.logging.Logger.getLogger(DaemonRoot.class).warnf("sealed values cannot be opened: %s", e.getMessage());
            return null;
        }
    }

    public Notifier notifier() {
        return notifier;
    }

    @Override
    public void close() {
        // apps are separate units: stopping orchd stops the loop and the route listeners, never the apps
        if (watchdog != null) {
            watchdog.close();
        }
        if (stopRouterWatch != null) {
            stopRouterWatch.run();
        }
        git.close();
        releases.close();
        channels.close();
        hygiene.close();
        loop.close();
        if (!(router instanceof RemoteRouter)) {
            executor.closeRoutes(); // routes in orch-router keep serving while orchd is down
        }
        router.close();
        probes.close();
        driver.close();
        notifier.close();
    }

    private static List<GitRepoSpec> gitRepos(OrchConfig config) {
        return config.git().repos().entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> {
            OrchConfig.Git.Repo r = e.getValue();
            return new GitRepoSpec(e.getKey(), r.url(), r.branch(), r.path(), r.poll(), r.tokenFile().orElse(null), r.username().orElse(null),
                    r.passwordFile().orElse(null), r.sshKeyFile().orElse(null), r.knownHostsFile().orElse(null), r.webhookSecretFile().orElse(null),
                    VerifySpec.checked(e.getKey(), r.verify(), r.trustedKeys().orElse(List.of()), r.allowedSignersFile().orElse(null)));
        }).toList();
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

    private static SystemdConfig systemdConfig(OrchConfig config) {
        OrchConfig.Systemd s = config.systemd();
        SystemdConfig base = "user".equals(s.scope()) ? SystemdConfig.user(Path.of(System.getProperty("user.home"))) : SystemdConfig.system();
        // system scope keeps env files (secrets) under the state dir, so a scratch state dir is self-contained
        String envDir = "user".equals(s.scope()) ? base.envDir() : config.stateDir().resolve("env").toString();
        return new SystemdConfig(base.scope(), s.root(), s.unitDir().orElse(base.unitDir()),
                s.envDir().orElse(envDir), s.commandPrefix().orElse(List.of()));
    }
}
