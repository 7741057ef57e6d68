package dev.orch.reconcile;

import dev.orch.manifest.Artifact;
import dev.orch.manifest.Probe;
import dev.orch.manifest.RouteSpec;
import dev.orch.manifest.Template;
import dev.orch.probe.ProbeTarget;
import dev.orch.probe.ProbeWorker;
import dev.orch.route.Backend;
import dev.orch.route.RouteHandle;
import dev.orch.route.Router;
import dev.orch.state.ActualState;
import dev.orch.state.ArtifactStore;
import dev.orch.state.AuditEntry;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.Condition;
import dev.orch.state.ConditionStatus;
import dev.orch.state.DesiredApp;
import dev.orch.state.EventType;
import dev.orch.state.Revision;
import dev.orch.state.Rollout;
import dev.orch.state.RolloutPhase;
import dev.orch.state.StateStore;
import dev.orch.systemd.ActiveState;
import dev.orch.systemd.InstanceId;
import dev.orch.systemd.InstanceStatus;
import dev.orch.systemd.ServiceDriver;
import dev.orch.systemd.ServiceSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One reconcile of one app: observe everything, ask the {@link Planner}, perform exactly that step, persist.
 * The rollout phase is written before each side effect, so a crash at any point resumes at a step that is
 * safe to repeat (installing, starting, switching and stopping are all idempotent).
 */
public final class Reconciler {
    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    public static final String AVAILABLE = "Available";
    public static final String PROGRESSING = "Progressing";
    public static final String DEGRADED = "Degraded";

    private final StateStore store;
    private final ServiceDriver driver;
    private final Router router;
    private final ProbeWorker probes;
    private final ArtifactStore artifacts;
    private final PortAllocator ports;
    private final Clock clock;
    private final ReconcileHooks hooks;
    private final Consumer<String> wake;
    private final Map<String, OpenRoute> routes = new ConcurrentHashMap<>();
    private final Map<ProbeWorker.Key, Watched> watched = new ConcurrentHashMap<>();
    /** Fault injection for the crash tests: sleep after persisting this phase (a window to kill -9 orchd). */
    private volatile RolloutPhase pauseAfter;
    private volatile Duration pauseFor = Duration.ZERO;
    /** Apps whose paused rollout {@code orchctl rollout promote} released; applied by the app's next reconcile. */
    private final Set<String> promotions = ConcurrentHashMap.newKeySet();
    /** Status changes from outside the loop (the git source's conditions), applied by the app's next reconcile. */
    private final Map<String, List<java.util.function.UnaryOperator<ActualState>>> notes = new ConcurrentHashMap<>();
    /** The last observation of each app, for status (readiness per color). */
    private final Map<String, Observation> lastObserved = new ConcurrentHashMap<>();

    private record OpenRoute(RouteSpec spec, RouteHandle handle) {}

    private record Watched(Probe probe, int port) {}

    /** @param wake enqueues an app (probe transitions wake the loop at once) */
    public Reconciler(StateStore store, ServiceDriver driver, Router router, ProbeWorker probes, ArtifactStore artifacts,
            PortAllocator ports, Clock clock, ReconcileHooks hooks, Consumer<String> wake) {
        this.store = store;
        this.driver = driver;
        this.router = router;
        this.probes = probes;
        this.artifacts = artifacts;
        this.ports = ports;
        this.clock = clock;
        this.hooks = hooks;
        this.wake = wake;
    }

    /** Crash tests only ({@code orch.test.pause-after=Starting:5s}): never set in production. */
    public void pauseAfter(RolloutPhase phase, Duration duration) {
        this.pauseAfter = phase;
        this.pauseFor = duration;
    }

    private void maybePause(Rollout r) {
        if (r != null && r.phase() == pauseAfter) {
            LOG.warnf("fault injection: pausing %s after phase %s", pauseFor, r.phase().wire());
            try {
                Thread.sleep(pauseFor.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Releases a rollout waiting for manual promotion; the app's own reconcile records it (one writer per app). */
    public void requestPromotion(String app) {
        promotions.add(app);
    }

    /**
     * Changes an app's status (conditions, events) from outside the loop: the app's next reconcile applies it, so
     * actual.json keeps one writer. Dropped for an app with neither desired nor actual state.
     */
    public void note(String app, java.util.function.UnaryOperator<ActualState> change) {
        notes.merge(app, List.of(change), (a, b) -> {
            List<java.util.function.UnaryOperator<ActualState>> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        });
        wake.accept(app);
    }

    private void applyNotes(String app) {
        List<java.util.function.UnaryOperator<ActualState>> pending = notes.remove(app);
        if (pending == null) {
            return;
        }
        Optional<ActualState> actual = store.readActual(app);
        if (actual.isEmpty() && store.readDesired(app).isEmpty()) {
            return;
        }
        ActualState a = actual.orElse(ActualState.EMPTY);
        for (var change : pending) {
            a = change.apply(a);
        }
        store.writeActual(app, a);
    }

    /** @return when to look again: zero for at once, null for "at the next resync" */
    public Duration reconcile(String app) {
        applyNotes(app);
        if (promotions.remove(app)) {
            store.readActual(app).ifPresent(a -> {
                if (a.rollout() != null && a.rollout().inProgress()) {
                    store.writeActual(app, a.withRollout(a.rollout().promote())
                            .withEvent(clock.instant(), EventType.NORMAL, "Promoted", "revision " + a.rollout().targetRevision() + " promoted"));
                }
            });
        }
        Observation o = observe(app);
        if (o.desired() == null) {
            lastObserved.remove(app);
        } else {
            lastObserved.put(app, o);
        }
        Step step = Planner.plan(o);
        if (!(step instanceof Step.Idle) && !(step instanceof Step.Wait)) {
            LOG.debugf("%s: %s", app, step);
        }
        return perform(o, step);
    }

    // ---- observe ------------------------------------------------------------------------------------------

    Observation observe(String app) {
        Instant now = clock.instant();
        DesiredApp desired = store.readDesired(app).orElse(null);
        ActualState actual = store.readActual(app).orElse(ActualState.EMPTY);
        String hash = null;
        String blocked = null;
        if (desired == null && store.quarantined(app).stream().anyMatch(p -> p.getFileName().toString().startsWith("desired.json"))) {
            // unreadable is not deleted: never prune an app because its file was torn
            blocked = "desired.json was unreadable and moved aside (see the log); apply the app again, or delete it";
        }
        if (desired != null) {
            Template t = desired.deployment().spec().template();
            try {
                hash = RevisionHash.of(t, desired.artifactSha256() != null ? desired.artifactSha256() : artifactDigest(t.artifact()));
            } catch (IOException e) {
                blocked = "artifact " + t.artifact().path() + ": " + e.getMessage();
            }
        }
        OpenRoute r = routes.get(app);
        RouteObservation route = r == null
                ? RouteObservation.CLOSED
                : new RouteObservation(true, desired != null && r.spec().equals(desired.deployment().spec().route()), r.handle().live().orElse(null));
        int stray = desired == null ? (int) driver.list().stream().filter(i -> i.id().app().equals(app)).count() : 0;
        return new Observation(app, desired, hash, blocked, actual,
                observeColor(app, Color.BLUE, actual.blue()), observeColor(app, Color.GREEN, actual.green()), route, stray, now);
    }

    private String artifactDigest(Artifact a) throws IOException {
        if (a == null) {
            return null;
        }
        if (a.path() != null) {
            try {
                return artifacts.digest(Path.of(a.path()));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IOException("no such file", e);
            }
        }
        return a.sha256();
    }

    private ColorObservation observeColor(String app, Color color, ColorState cs) {
        if (cs == null) {
            return ColorObservation.NONE;
        }
        Revision rev = store.readRevision(app, cs.revision()).orElse(null);
        if (rev == null) {
            return new ColorObservation(false, false, cs.ports().size(), 0, 0, cs.ports().size(), "revision " + cs.revision() + " is not stored");
        }
        List<ServiceSpec> specs = ColorServices.specs(app, color, cs, rev, artifacts);
        Template t = rev.deployment().spec().template();
        boolean installed = true;
        boolean current = true;
        int active = 0;
        int ready = 0;
        int stopped = 0;
        String detail = "";
        for (ServiceSpec spec : specs) {
            InstanceStatus st = driver.status(spec.id());
            installed &= st.installed();
            current &= st.installed() && driver.isCurrent(spec);
            if (st.running()) {
                active++;
                watchProbes(spec, t);
                boolean isReady = t.readinessProbe() == null || probes.state(key(spec.id(), ProbeWorker.Kind.READINESS)).passing();
                if (isReady) {
                    ready++;
                } else {
                    detail = probes.state(key(spec.id(), ProbeWorker.Kind.READINESS)).lastMessage();
                }
            } else {
                unwatchProbes(spec.id());
                if (st.activeState() == ActiveState.INACTIVE || st.activeState() == ActiveState.FAILED) {
                    stopped++;
                }
                detail = spec.id().unitName() + " " + st.activeState().wire() + (st.subState() == null ? "" : "/" + st.subState())
                        + (st.restarts() > 0 ? ", " + st.restarts() + " restarts" : "")
                        + (st.exitStatus() == null ? "" : ", last exit " + st.exitCode() + " " + st.exitStatus());
            }
        }
        return new ColorObservation(installed, current, specs.size(), active, ready, stopped, detail);
    }

    private static ProbeWorker.Key key(InstanceId id, ProbeWorker.Kind kind) {
        return new ProbeWorker.Key(id.app(), id.color().wire(), id.replica(), kind);
    }

    private void watchProbes(ServiceSpec spec, Template t) {
        watch(spec, t.readinessProbe(), ProbeWorker.Kind.READINESS);
        watch(spec, t.livenessProbe(), ProbeWorker.Kind.LIVENESS);
    }

    private void watch(ServiceSpec spec, Probe probe, ProbeWorker.Kind kind) {
        ProbeWorker.Key k = key(spec.id(), kind);
        if (probe == null) {
            if (watched.remove(k) != null) {
                probes.unwatch(k);
            }
            return;
        }
        Watched w = new Watched(probe, spec.port());
        if (w.equals(watched.get(k))) {
            return;
        }
        watched.put(k, w);
        Map<String, String> env = new HashMap<>(Map.of("PORT", Integer.toString(spec.port())));
        env.put(spec.template().portEnv(), Integer.toString(spec.port()));
        probes.watch(k, probe, ProbeTarget.local(spec.port()), env, (key, state) -> {
            if (key.kind() == ProbeWorker.Kind.LIVENESS && !state.passing()) {
                restartForLiveness(spec.id(), state.lastMessage());
            }
            wake.accept(key.app());
        });
    }

    private void restartForLiveness(InstanceId id, String why) {
        try {
            LOG.warnf("%s failed its liveness probe (%s): restarting it", id.unitName(), why);
            driver.restart(id);
            String msg = id.unitName() + " failed its liveness probe (" + why + "); restarted it";
            note(id.app(), a -> a.withEvent(clock.instant(), EventType.WARNING, "LivenessFailed", msg));
        } catch (RuntimeException e) {
            LOG.errorf("restarting %s after a liveness failure failed: %s", id.unitName(), e.getMessage());
        }
    }

    private void unwatchProbes(InstanceId id) {
        for (ProbeWorker.Kind kind : ProbeWorker.Kind.values()) {
            ProbeWorker.Key k = key(id, kind);
            if (watched.remove(k) != null) {
                probes.unwatch(k);
            }
        }
    }

    // ---- perform ------------------------------------------------------------------------------------------

    private Duration perform(Observation o, Step step) {
        return switch (step) {
            case Step.StartRollout s -> startRollout(o, s);
            case Step.InstallUnits s -> installUnits(o, s);
            case Step.StartUnits s -> startUnits(o, s);
            case Step.SwitchRoute s -> switchRoute(o, s);
            case Step.OpenRoute s -> openRoute(o);
            case Step.FinishRollout s -> finishRollout(o);
            case Step.AbortRollout s -> abortRollout(o, s);
            case Step.RemoveApp s -> removeApp(o);
            case Step.Wait s -> waitStep(o, s);
            case Step.Idle s -> idle(o);
        };
    }

    private Duration startRollout(Observation o, Step.StartRollout s) {
        if (s.warm()) {
            return startWarmRollout(o, s);
        }
        String app = o.app();
        DesiredApp d = o.desired();
        Template t = d.deployment().spec().template();
        String sha = d.artifactSha256();
        try {
            if (sha == null) {
                sha = artifactDigest(t.artifact());
                if (t.artifact() != null && t.artifact().path() != null) {
                    artifacts.importFile(Path.of(t.artifact().path()), sha);
                }
            }
        } catch (IOException e) {
            throw new ReconcileException("cannot take a copy of artifact " + t.artifact().path() + ": " + e.getMessage(), e);
        }
        int n = store.nextRevisionNumber(app);
        store.putRevision(app, new Revision(n, s.hash(), d.deployment(), d.source(), o.now(), sha));
        ActualState a = o.actual();
        ColorState old = a.color(s.color());
        int replicas = d.deployment().spec().replicas();
        List<Integer> colorPorts = ports.allocate(old == null ? List.of() : old.ports(), replicas, portsTakenExcept(app, s.color(), old));
        List<String> units = ColorServices.ids(app, s.color(), replicas).stream().map(InstanceId::unitName).toList();
        String msg = "rolling out revision " + n + " (" + s.hash() + ") to " + s.color();
        a = a.withColor(s.color(), new ColorState(n, s.hash(), colorPorts, units, o.now()))
                .withRollout(new Rollout(RolloutPhase.PREPARING, n, s.hash(), s.color(), o.now(), s.deadline(), false))
                .withObservedGeneration(d.generation())
                .withCondition(cond(PROGRESSING, ConditionStatus.TRUE, "NewRevision", msg, o.now()))
                .withEvent(o.now(), EventType.NORMAL, "RolloutStarted", msg);
        store.writeActual(app, a);
        audit(app, "rollout", d.source().describe(), Map.of("revision", Integer.toString(n), "hash", s.hash(), "color", s.color().wire()));
        Set<Integer> keep = new HashSet<>(List.of(n));
        if (a.live() != null && a.color(a.live()) != null) {
            keep.add(a.color(a.live()).revision());
        }
        store.pruneRevisions(app, Math.max(1, d.deployment().spec().revisionHistoryLimit()), keep);
        return Duration.ZERO;
    }

    /** Back to a color that still runs the desired revision and is ready: straight to the switch. */
    private Duration startWarmRollout(Observation o, Step.StartRollout s) {
        ActualState a = o.actual();
        ColorState cs = a.color(s.color());
        String msg = "switching back to " + s.color() + ", still running revision " + cs.revision() + " (" + s.hash() + ")";
        a = a.withRollout(new Rollout(RolloutPhase.SWITCHING, cs.revision(), s.hash(), s.color(), o.now(), null, true))
                .withObservedGeneration(o.desired().generation())
                .withCondition(cond(PROGRESSING, ConditionStatus.TRUE, "WarmSwitch", msg, o.now()))
                .withEvent(o.now(), EventType.NORMAL, "RolloutStarted", msg);
        store.writeActual(o.app(), a);
        audit(o.app(), "rollout", o.desired().source().describe(),
                Map.of("revision", Integer.toString(cs.revision()), "hash", s.hash(), "color", s.color().wire(), "warm", "true"));
        return Duration.ZERO;
    }

    private Set<Integer> portsTakenExcept(String app, Color color, ColorState own) {
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

    private Duration installUnits(Observation o, Step.InstallUnits s) {
        String app = o.app();
        ActualState a = o.actual();
        ColorState cs = a.color(s.color());
        Revision rev = revision(app, cs);
        var result = driver.install(ColorServices.specs(app, s.color(), cs, rev, artifacts));
        Rollout r = a.rollout();
        if (r != null && r.phase() == RolloutPhase.PREPARING && r.targetColor() == s.color()) {
            a = a.withRollout(r.enter(RolloutPhase.STARTING, o.now()));
        } else if (!result.changed().isEmpty()) {
            hooks.driftCorrected(app, "unit_rewritten");
            a = a.withEvent(o.now(), EventType.WARNING, "UnitRewritten", s.reason() + ": rewrote " + result.changed().size() + " unit(s) of " + s.color());
        }
        store.writeActual(app, a);
        maybePause(a.rollout());
        return Duration.ZERO;
    }

    private Duration startUnits(Observation o, Step.StartUnits s) {
        String app = o.app();
        ActualState a = o.actual();
        ColorState cs = a.color(s.color());
        for (InstanceId id : ColorServices.ids(app, s.color(), cs.ports().size())) {
            driver.start(id);
        }
        Rollout r = a.rollout();
        if (r != null && r.phase() == RolloutPhase.STARTING && r.targetColor() == s.color()) {
            a = a.withRollout(r.enter(RolloutPhase.WAITING_READY, o.now()));
            OpenRoute route = routes.get(app);
            if (route != null) {
                route.handle().setIdle(s.color(), backends(cs));
            }
        } else {
            hooks.driftCorrected(app, "unit_started");
            a = a.withEvent(o.now(), EventType.WARNING, "UnitStarted", s.reason() + ": started " + s.color());
        }
        store.writeActual(app, a);
        maybePause(a.rollout());
        return Duration.ZERO;
    }

    private Duration switchRoute(Observation o, Step.SwitchRoute s) {
        String app = o.app();
        ActualState a = o.actual();
        Rollout r = a.rollout();
        boolean rollout = r != null && r.inProgress() && r.targetColor() == s.color();
        if (rollout && r.phase() == RolloutPhase.WAITING_READY) {
            a = a.withRollout(r.enter(RolloutPhase.SWITCHING, o.now()));
            store.writeActual(app, a); // persisted before the side effect
            maybePause(a.rollout());
            r = a.rollout();
        }
        ColorState cs = a.color(s.color());
        routes.get(app).handle().switchTo(s.color(), backends(cs));
        if (rollout) {
            String msg = "route now sends traffic to " + s.color() + " (revision " + cs.revision() + ")";
            a = a.withLive(s.color())
                    .withRollout(r.enter(RolloutPhase.DRAINING, o.now()))
                    .withCondition(cond(AVAILABLE, ConditionStatus.TRUE, "MinimumReplicasAvailable", msg, o.now()))
                    .withEvent(o.now(), EventType.NORMAL, "Switched", msg);
            audit(app, "switch", "rollout", Map.of("color", s.color().wire(), "revision", Integer.toString(cs.revision())));
        } else if (o.route().live() != null) {
            hooks.driftCorrected(app, "route_corrected");
            a = a.withEvent(o.now(), EventType.WARNING, "RouteCorrected", "route pointed at " + o.route().live() + "; moved it to " + s.color());
        }
        store.writeActual(app, a);
        maybePause(a.rollout());
        return Duration.ZERO;
    }

    private Duration openRoute(Observation o) {
        String app = o.app();
        RouteSpec spec = o.desired().deployment().spec().route();
        OpenRoute old = routes.remove(app);
        if (old != null) {
            old.handle().close();
        }
        RouteHandle h = router.open(app, spec);
        routes.put(app, new OpenRoute(spec, h));
        ActualState a = o.actual();
        // adopt after a daemon restart: a live color whose units run keeps its traffic without waiting for probes
        if (a.live() != null && a.color(a.live()) != null && o.color(a.live()).allActive()) {
            h.switchTo(a.live(), backends(a.color(a.live())));
        }
        Rollout r = a.rollout();
        if (r != null && r.inProgress() && a.color(r.targetColor()) != null && r.targetColor() != a.live()) {
            h.setIdle(r.targetColor(), backends(a.color(r.targetColor())));
        }
        return Duration.ZERO;
    }

    private Duration finishRollout(Observation o) {
        String app = o.app();
        ActualState a = o.actual();
        Rollout r = a.rollout();
        Color old = r.targetColor().other();
        ColorState oldState = a.color(old);
        if (oldState != null) {
            stopColor(app, old, oldState);
        }
        String msg = "revision " + r.targetRevision() + " is live in " + r.targetColor();
        a = a.withRollout(r.enter(RolloutPhase.COMPLETE, o.now()))
                .withCondition(cond(PROGRESSING, ConditionStatus.TRUE, "NewRevisionAvailable", msg, o.now()))
                .withEvent(o.now(), EventType.NORMAL, "RolloutComplete", msg + (oldState == null ? "" : "; stopped " + old));
        store.writeActual(app, a);
        hooks.rolloutEnded(app, "complete", "NewRevisionAvailable");
        return null;
    }

    private Duration abortRollout(Observation o, Step.AbortRollout s) {
        String app = o.app();
        ActualState a = o.actual();
        Rollout r = a.rollout();
        ColorState target = a.color(r.targetColor());
        if (target != null) {
            stopColor(app, r.targetColor(), target);
        }
        a = a.withRollout(r.enter(RolloutPhase.ABORTED, o.now()))
                .withCondition(cond(PROGRESSING, ConditionStatus.FALSE, s.reason(), s.message(), o.now()))
                .withEvent(o.now(), EventType.WARNING, s.reason(), s.message() + "; stopped " + r.targetColor()
                        + (a.live() == null ? "" : ", " + a.live() + " keeps serving"));
        store.writeActual(app, a);
        audit(app, "abort", "controller", Map.of("revision", Integer.toString(r.targetRevision()), "reason", s.reason()));
        hooks.rolloutEnded(app, "aborted", s.reason());
        return Duration.ZERO;
    }

    /** Stops a color that is not live and takes it off the preview listener. */
    private void stopColor(String app, Color color, ColorState cs) {
        for (InstanceId id : ColorServices.ids(app, color, cs.ports().size())) {
            unwatchProbes(id);
            driver.stop(id);
        }
        OpenRoute route = routes.get(app);
        if (route != null && route.handle().live().orElse(null) != color) {
            route.handle().setIdle(color, List.of());
        }
    }

    private Duration removeApp(Observation o) {
        String app = o.app();
        OpenRoute route = routes.remove(app);
        if (route != null) {
            route.handle().close();
        }
        List<InstanceId> ids = new ArrayList<>();
        for (var inst : driver.list()) {
            if (inst.id().app().equals(app)) {
                ids.add(inst.id());
            }
        }
        ids.forEach(this::unwatchProbes);
        driver.remove(ids);
        store.archive(app);
        audit(app, "delete", "controller", Map.of("units", Integer.toString(ids.size())));
        return null;
    }

    private Duration waitStep(Observation o, Step.Wait s) {
        ActualState a = o.actual();
        ActualState next = switch (s.reason()) {
            case "Blocked" -> a.withCondition(cond(PROGRESSING, ConditionStatus.FALSE, "Blocked", s.message(), o.now()));
            case "AwaitingPromotion" -> a.withCondition(cond(PROGRESSING, ConditionStatus.TRUE, "AwaitingPromotion", s.message(), o.now()));
            default -> a;
        };
        next = withAvailability(o, next);
        writeIfChanged(o.app(), a, next);
        return s.after();
    }

    private Duration idle(Observation o) {
        writeIfChanged(o.app(), o.actual(), withAvailability(o, o.actual()));
        return null;
    }

    /** Available follows the live color's readiness, Kubernetes style. */
    private static ActualState withAvailability(Observation o, ActualState a) {
        if (a.live() == null) {
            return a;
        }
        ColorObservation c = o.color(a.live());
        return c.allReady()
                ? a.withCondition(cond(AVAILABLE, ConditionStatus.TRUE, "MinimumReplicasAvailable", c.ready() + "/" + c.replicas() + " ready in " + a.live(), o.now()))
                : a.withCondition(cond(AVAILABLE, ConditionStatus.FALSE, "MinimumReplicasUnavailable",
                        c.ready() + "/" + c.replicas() + " ready in " + a.live() + (c.detail().isEmpty() ? "" : ": " + c.detail()), o.now()));
    }

    private void writeIfChanged(String app, ActualState before, ActualState after) {
        if (!sameConditions(before, after)) {
            store.writeActual(app, after);
        }
    }

    private static boolean sameConditions(ActualState a, ActualState b) {
        if (a.conditions().size() != b.conditions().size()) {
            return false;
        }
        for (Condition c : b.conditions()) {
            Condition old = a.condition(c.type());
            if (old == null || old.status() != c.status() || !java.util.Objects.equals(old.reason(), c.reason())
                    || !java.util.Objects.equals(old.message(), c.message())) {
                return false;
            }
        }
        return true;
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private Revision revision(String app, ColorState cs) {
        return store.readRevision(app, cs.revision())
                .orElseThrow(() -> new ReconcileException("revision " + cs.revision() + " of " + app + " is not stored"));
    }

    private static List<Backend> backends(ColorState cs) {
        List<Backend> b = new ArrayList<>(cs.ports().size());
        for (int p : cs.ports()) {
            b.add(new Backend("127.0.0.1", p));
        }
        return b;
    }

    private static Condition cond(String type, ConditionStatus status, String reason, String message, Instant now) {
        return new Condition(type, status, reason, message, now);
    }

    private void audit(String app, String action, String cause, Map<String, String> details) {
        store.appendAudit(new AuditEntry(clock.instant(), app, action, cause, new HashMap<>(details)));
    }

    /** A failed reconcile: recorded on the app as a condition, then retried with backoff. */
    public void recordFailure(String app, Throwable e) {
        try {
            store.readActual(app).ifPresent(a -> {
                String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                ActualState next = a.withCondition(cond(DEGRADED, ConditionStatus.TRUE, "ReconcileError", msg, clock.instant()));
                Condition old = a.condition(DEGRADED);
                if (old == null || !msg.equals(old.message())) {
                    next = next.withEvent(clock.instant(), EventType.WARNING, "ReconcileError", msg);
                }
                store.writeActual(app, next);
            });
        } catch (RuntimeException ignored) {
            // the state store itself failing is logged by the caller
        }
    }

    /** Clears a Degraded condition left by earlier failures once a reconcile succeeds. */
    public void recordSuccess(String app) {
        store.readActual(app).ifPresent(a -> {
            Condition d = a.condition(DEGRADED);
            if (d != null && d.status() == ConditionStatus.TRUE) {
                store.writeActual(app, a.withCondition(cond(DEGRADED, ConditionStatus.FALSE, "ReconcileSucceeded", "", clock.instant())));
            }
        });
    }

    /** Closes the route listeners (daemon shutdown); services keep running, they are separate units. */
    public void closeRoutes() {
        routes.values().forEach(r -> r.handle().close());
        routes.clear();
    }

    /** What the last reconcile of {@code app} observed (empty before the first one). */
    public java.util.Optional<Observation> lastObservation(String app) {
        return java.util.Optional.ofNullable(lastObserved.get(app));
    }

    /** The route of an app, for status and tests. */
    public java.util.Optional<RouteHandle> route(String app) {
        OpenRoute r = routes.get(app);
        return r == null ? java.util.Optional.empty() : java.util.Optional.of(r.handle());
    }
}
