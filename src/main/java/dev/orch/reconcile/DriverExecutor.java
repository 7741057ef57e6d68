package dev.orch.reconcile;

import dev.orch.artifact.ArtifactDownloader;
import dev.orch.artifact.Channels;
import dev.orch.artifact.DownloadException;
import dev.orch.artifact.Release;
import dev.orch.artifact.UploadWatch;
import dev.orch.manifest.Artifact;
import dev.orch.manifest.Template;
import dev.orch.probe.ProbeTarget;
import dev.orch.probe.ProbeWorker;
import dev.orch.probe.Probing;
import dev.orch.route.Backend;
import dev.orch.route.RouteBindException;
import dev.orch.route.RouteHandle;
import dev.orch.route.Router;
import dev.orch.state.ActualState;
import dev.orch.state.AppEvent;
import dev.orch.state.ArtifactStore;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.DesiredApp;
import dev.orch.state.Reason;
import dev.orch.state.Revision;
import dev.orch.state.StateStore;
import dev.orch.state.StatusInbox;
import dev.orch.secrets.SecretException;
import dev.orch.secrets.Sealer;
import dev.orch.smoke.SmokeClient;
import dev.orch.smoke.SmokeReport;
import dev.orch.smoke.SmokeTarget;
import dev.orch.systemd.InstanceId;
import dev.orch.systemd.SecretPayload;
import dev.orch.systemd.ServiceDriver;
import dev.orch.systemd.StatusCache;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The executor on the real adapters: the service driver, the router, the probe worker, the artifact and
 * revision store. Every effect is safe to repeat (a crash between it and the status write repeats it).
 */
public final class DriverExecutor implements Executor {
    private static final Logger LOG = Logger.getLogger(DriverExecutor.class);

    private final StateStore store;
    private final ServiceDriver driver;
    private final StatusCache statuses;
    private final Router router;
    private final OpenRoutes routes;
    private final Probing probes;
    private final ArtifactStore artifacts;
    private final ArtifactDownloader downloads;
    private final UploadWatch uploads;
    private final Channels channels;
    private final PortAllocator ports;
    private final StatusInbox inbox;
    private final Clock clock;
    private final Consumer<String> wake;
    /** Opens sealed values; null where no sealing keys exist (then a manifest with secrets stalls). */
    private final Sealer sealer;
    private final SmokeClient smokeClient;
    private final SmokeVerdicts smoke;
    /** The probes running now and what each was started for, so an unchanged watch is left alone. */
    private final Map<ProbeWorker.Key, ProbeWatch> watched = new ConcurrentHashMap<>();

    /** @param wake enqueues an app (probe transitions wake the loop at once) */
    public DriverExecutor(StateStore store, ServiceDriver driver, StatusCache statuses, Router router, OpenRoutes routes, Probing probes,
            ArtifactStore artifacts, ArtifactDownloader downloads, UploadWatch uploads, Channels channels, PortAllocator ports, StatusInbox inbox, Clock clock, Consumer<String> wake) {
        this(store, driver, statuses, router, routes, probes, artifacts, downloads, uploads, channels, ports, inbox, clock, wake, null);
    }

    public DriverExecutor(StateStore store, ServiceDriver driver, StatusCache statuses, Router router, OpenRoutes routes, Probing probes,
            ArtifactStore artifacts, ArtifactDownloader downloads, UploadWatch uploads, Channels channels, PortAllocator ports, StatusInbox inbox,
            Clock clock, Consumer<String> wake, Sealer sealer) {
        this(store, driver, statuses, router, routes, probes, artifacts, downloads, uploads, channels, ports, inbox, clock, wake, sealer, null, null);
    }

    /** @param smokeClient sends smoke checks, recording each verdict in {@code smoke} for the observer (both null: none are sent) */
    public DriverExecutor(StateStore store, ServiceDriver driver, StatusCache statuses, Router router, OpenRoutes routes, Probing probes,
            ArtifactStore artifacts, ArtifactDownloader downloads, UploadWatch uploads, Channels channels, PortAllocator ports, StatusInbox inbox,
            Clock clock, Consumer<String> wake, Sealer sealer, SmokeClient smokeClient, SmokeVerdicts smoke) {
        this.smokeClient = smokeClient;
        this.smoke = smoke;
        this.sealer = sealer;
        this.store = store;
        this.driver = driver;
        this.statuses = statuses;
        this.router = router;
        this.routes = routes;
        this.probes = probes;
        this.artifacts = artifacts;
        this.downloads = downloads;
        this.uploads = uploads;
        this.channels = channels;
        this.ports = ports;
        this.inbox = inbox;
        this.clock = clock;
        this.wake = wake;
    }

    @Override
    public Outcome perform(Observation o, Plan plan) {
        Outcome out = switch (plan.effect()) {
            case Effect.None n -> Outcome.NONE;
            case Effect.PrepareRevision p -> prepare(o, p);
            case Effect.InstallUnits i -> {
                stageSecrets(o, i.color());
                driver.install(o.color(i.color()).specs());
                o.color(i.color()).specs().forEach(spec -> statuses.invalidate(spec.id())); // as after start and stop
                yield Outcome.NONE;
            }
            case Effect.StartUnits s -> start(o, s);
            case Effect.RunSmokeChecks s -> {
                smokeCheck(o, s);
                yield Outcome.NONE;
            }
            case Effect.SwitchRoute s -> {
                routes.get(o.app()).orElseThrow(() -> new ReconcileException("the route of " + o.app() + " is not open"))
                        .switchTo(s.color(), backends(o.actual().color(s.color())));
                yield Outcome.NONE;
            }
            case Effect.SetCanary c -> {
                routes.get(o.app()).orElseThrow(() -> new ReconcileException("the route of " + o.app() + " is not open"))
                        .setCanary(c.color(), c.weight() == 0 ? List.of() : backends(o.actual().color(c.color())), c.weight(), c.token());
                yield Outcome.NONE;
            }
            case Effect.OpenRoute r -> open(o, r);
            case Effect.StopColor s -> {
                stopColor(o, s.color());
                yield Outcome.NONE;
            }
            case Effect.RemoveApp r -> {
                remove(o.app());
                if (smoke != null) {
                    smoke.remove(o.app());
                }
                yield Outcome.NONE;
            }
        };
        if (!(plan.effect() instanceof Effect.RemoveApp)) {
            keepProbes(o.app(), plan.probes());
        }
        uploads.watch(o.app(), watchedArtifact(o, plan));
        Artifact followed = plan.effect() instanceof Effect.RemoveApp || o.desired() == null ? null : o.desired().deployment().spec().template().artifact();
        channels.follow(o.app(), followed == null ? null : followed.channel(), followed == null ? null : followed.auth());
        return out;
    }

    /** The artifact file a new upload of which makes a new revision; null without one (or once removed). */
    private static Path watchedArtifact(Observation o, Plan plan) {
        if (plan.effect() instanceof Effect.RemoveApp || o.desired() == null) {
            return null;
        }
        Artifact a = o.desired().deployment().spec().template().artifact();
        return a == null || a.path() == null ? null : Path.of(a.path());
    }

    /** Downloads the release the channel resolved to (the observation's: its digest is in the hash); its version. */
    private String bringRelease(Artifact a, Release r) {
        try {
            downloads.download(new Artifact(null, r.location().toString(), r.sha256(), a.auth()), a.channel().fileName(r.version()));
            return r.version();
        } catch (DownloadException e) {
            throw new ReconcileException(Reason.ARTIFACT_DOWNLOAD_FAILED, "release " + r.version() + ": " + e.getMessage(), e);
        }
    }

    /** The channel version a stored revision with this digest ran (an undo back to it runs the same file). */
    private String versionOf(String app, String sha) {
        return store.revisions(app).stream().filter(r -> sha.equals(r.artifactSha256()) && r.artifactVersion() != null)
                .map(Revision::artifactVersion).findFirst().orElse(null);
    }

    /** Puts the artifact's copy into the store (a path copied, a URL downloaded) before anything runs it; its digest. */
    private String bringArtifact(Artifact a) {
        if (a.path() != null) {
            try {
                String sha = artifacts.digest(Path.of(a.path()));
                artifacts.importFile(Path.of(a.path()), sha);
                return sha;
            } catch (IOException e) {
                throw new ReconcileException("cannot take a copy of artifact " + a.path() + ": " + e.getMessage(), e);
            }
        }
        try {
            downloads.download(a, ColorServices.fileName(a));
            return a.sha256();
        } catch (DownloadException e) {
            throw new ReconcileException(Reason.ARTIFACT_DOWNLOAD_FAILED, e.getMessage(), e);
        }
    }

    private Outcome prepare(Observation o, Effect.PrepareRevision p) {
        DesiredApp d = o.desired();
        Template t = d.deployment().spec().template();
        String sha = d.artifactSha256();
        String version = null;
        if (t.artifact() != null && t.artifact().channel() != null) {
            version = sha != null ? versionOf(o.app(), sha) : bringRelease(t.artifact(), o.release());
            sha = sha != null ? sha : o.release().sha256();
        } else if (sha == null && t.artifact() != null) {
            sha = bringArtifact(t.artifact());
        }
        openSecrets(o.app(), t); // a value that does not open stops here, before the revision is stored
        ColorState old = o.actual().color(p.color());
        List<Integer> picked;
        try {
            picked = ports.allocate(old == null ? List.of() : old.ports(), p.replicas(), portsTakenExcept(o.app(), p.color()));
        } catch (IllegalStateException e) {
            throw new TerminalException(Reason.NO_FREE_PORT, e.getMessage(), e); // before the revision is stored: no number used up
        }
        store.putRevision(o.app(), new Revision(p.number(), p.hash(), d.deployment(), d.source(), o.now(), sha, version));
        if (old != null && old.ports().size() > p.replicas()) {
            // scaled down: the replicas above the new count would be orphans nobody stops
            List<InstanceId> gone = ColorServices.ids(o.app(), p.color(), old.ports().size()).subList(p.replicas(), old.ports().size());
            gone.forEach(this::unwatch);
            driver.remove(gone);
            gone.forEach(statuses::invalidate);
        }
        Set<Integer> keep = new HashSet<>(List.of(p.number()));
        ActualState a = o.actual();
        if (a.live() != null && a.color(a.live()) != null) {
            keep.add(a.color(a.live()).revision());
        }
        store.pruneRevisions(o.app(), Math.max(1, d.deployment().spec().revisionHistoryLimit()), keep);
        return new Outcome(picked);
    }

    private SecretPayload openSecrets(String app, Template t) {
        if (!t.hasSecrets()) {
            return SecretPayload.NONE;
        }
        if (sealer == null) {
            throw new TerminalException(Reason.SECRET_NOT_OPENED, "this orchd has no sealing keys to open sealed values", null);
        }
        try {
            return sealer.openAll(app, t);
        } catch (SecretException e) {
            // retrying cannot help until the manifest (or the host's keys) change; the live color keeps serving
            throw new TerminalException(Reason.SECRET_NOT_OPENED, e.getMessage(), e);
        }
    }

    /** Writes the color's opened secrets before its units are installed or started (a reboot empties /run). */
    private void stageSecrets(Observation o, Color color) {
        var c = o.color(color);
        if (c == null || c.specs().isEmpty()) {
            return;
        }
        String warning = driver.stageSecrets(o.app(), color, openSecrets(o.app(), c.specs().get(0).template()));
        if (warning != null) {
            inbox.post(o.app(), a -> a.withEvent(AppEvent.warning(clock.instant(), Reason.SECRETS_ON_DISK, warning)));
        }
    }

    private Set<Integer> portsTakenExcept(String app, Color color) {
        Set<Integer> taken = new HashSet<>();
        for (String other : store.listApps()) {
            ActualState a = store.readActual(other).orElse(ActualState.EMPTY);
            for (Color c : Color.values()) {
                ColorState cs = a.color(c);
                if (cs != null && !(other.equals(app) && c == color)) {
                    taken.addAll(cs.ports());
                }
            }
        }
        return taken;
    }

    private Outcome start(Observation o, Effect.StartUnits s) {
        ColorState cs = o.actual().color(s.color());
        stageSecrets(o, s.color());
        for (InstanceId id : ColorServices.ids(o.app(), s.color(), cs.ports().size())) {
            driver.start(id);
            statuses.invalidate(id);
        }
        if (s.preview()) {
            routes.get(o.app()).ifPresent(r -> r.setIdle(s.color(), backends(cs)));
        }
        return Outcome.NONE;
    }

    private Outcome open(Observation o, Effect.OpenRoute r) {
        String app = o.app();
        routes.remove(app).ifPresent(RouteHandle::close);
        var spec = o.desired().deployment().spec().route();
        RouteHandle h;
        try {
            h = router.open(app, spec);
        } catch (RouteBindException e) {
            // another process (or route) holds the port: retrying cannot help until the manifest or the port changes
            throw new TerminalException(Reason.PORT_IN_USE, e.getMessage(), e);
        }
        routes.put(app, spec, h);
        ActualState a = o.actual();
        if (r.adoptLive() != null) {
            h.switchTo(r.adoptLive(), backends(a.color(r.adoptLive())));
        }
        if (r.preview() != null) {
            h.setIdle(r.preview(), backends(a.color(r.preview())));
        }
        return Outcome.NONE;
    }

    /**
     * Sends the smoke checks through the route's preview listener when the manifest has one (it forwards to the idle
     * color, which the rollout's start pointed at the new color), else straight to each replica of the new color.
     */
    private void smokeCheck(Observation o, Effect.RunSmokeChecks s) {
        if (smokeClient == null || smoke == null) {
            throw new ReconcileException("this orchd sends no smoke checks (not wired)");
        }
        var spec = o.desired().deployment().spec();
        List<SmokeTarget> targets = SmokeTargets.of(spec.route(), s.color(), o.actual().color(s.color()).ports());
        String via = SmokeTargets.via(targets, s.color());
        SmokeReport report = smokeClient.send(spec.strategy().blueGreen().smokeChecksOrNone(), targets);
        if (!report.passed()) {
            LOG.warnf("%s: smoke check failed: %s", o.app(), report.failure());
        }
        smoke.put(o.app(), new SmokeVerdict(s.color(), s.revision(), report.sent(), via, report.failure()));
    }

    private void stopColor(Observation o, Color color) {
        ColorState cs = o.actual().color(color);
        for (InstanceId id : ColorServices.ids(o.app(), color, cs.ports().size())) {
            unwatch(id);
            driver.stop(id);
            statuses.invalidate(id);
        }
        routes.get(o.app()).ifPresent(route -> {
            if (route.live().orElse(null) != color) {
                route.setIdle(color, List.of());
            }
        });
    }

    private void remove(String app) {
        routes.remove(app).ifPresent(RouteHandle::close);
        List<InstanceId> ids = new ArrayList<>();
        for (var inst : driver.list()) {
            if (inst.id().app().equals(app)) {
                ids.add(inst.id());
            }
        }
        keepProbes(app, List.of());
        driver.remove(ids);
        ids.forEach(statuses::invalidate);
    }

    /** Runs exactly the plan's probes for the app: new ones start, changed ones restart, the rest stop. */
    private void keepProbes(String app, List<ProbeWatch> wanted) {
        Map<ProbeWorker.Key, ProbeWatch> want = new HashMap<>();
        wanted.forEach(w -> want.put(w.key(), w));
        for (var it = watched.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            if (e.getKey().app().equals(app) && !want.containsKey(e.getKey())) {
                probes.unwatch(e.getKey());
                it.remove();
            }
        }
        for (ProbeWatch w : wanted) {
            if (w.equals(watched.get(w.key()))) {
                continue;
            }
            watched.put(w.key(), w);
            Map<String, String> env = new HashMap<>(Map.of("PORT", Integer.toString(w.port())));
            env.put(w.portEnv(), Integer.toString(w.port()));
            probes.watch(w.key(), w.probe(), ProbeTarget.local(w.port()), env, (key, state) -> {
                if (key.kind() == ProbeWorker.Kind.LIVENESS && !state.passing()) {
                    restartForLiveness(w.id(), state.lastMessage());
                }
                wake.accept(key.app());
            });
        }
    }

    private void restartForLiveness(InstanceId id, String why) {
        try {
            LOG.warnf("%s failed its liveness probe (%s): restarting it", id.unitName(), why);
            driver.restart(id);
            statuses.invalidate(id);
            String msg = id.unitName() + " failed its liveness probe (" + why + "); restarted it";
            inbox.post(id.app(), a -> a.withEvent(AppEvent.warning(clock.instant(), Reason.LIVENESS_FAILED, msg)));
        } catch (RuntimeException e) {
            LOG.errorf("restarting %s after a liveness failure failed: %s", id.unitName(), e.getMessage());
        }
    }

    private void unwatch(InstanceId id) {
        for (ProbeWorker.Kind kind : ProbeWorker.Kind.values()) {
            ProbeWorker.Key k = ProbeWatch.key(id, kind);
            if (watched.remove(k) != null) {
                probes.unwatch(k);
            }
        }
    }

    /** Closes the route listeners (daemon shutdown); services keep running, they are separate units. */
    public void closeRoutes() {
        routes.closeAll();
    }

    static List<Backend> backends(ColorState cs) {
        List<Backend> b = new ArrayList<>(cs.ports().size());
        for (int p : cs.ports()) {
            b.add(new Backend("127.0.0.1", p));
        }
        return b;
    }
}
