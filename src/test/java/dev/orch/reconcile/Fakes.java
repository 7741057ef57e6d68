package dev.orch.reconcile;

import dev.orch.manifest.RouteSpec;
import dev.orch.probe.ProbeWorker;
import dev.orch.probe.Probing;
import dev.orch.route.Backend;
import dev.orch.route.RouteHandle;
import dev.orch.route.Router;
import dev.orch.state.Color;
import dev.orch.systemd.ActiveState;
import dev.orch.systemd.DriverException;
import dev.orch.systemd.InstallResult;
import dev.orch.systemd.InstalledInstance;
import dev.orch.systemd.InstanceEvent;
import dev.orch.systemd.InstanceId;
import dev.orch.systemd.InstanceStatus;
import dev.orch.systemd.ServiceDriver;
import dev.orch.systemd.ServiceSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Scriptable fakes of the executor's adapters, in the manner of client-go's fake clientset: every call is
 * recorded, in order, into one shared {@link Calls} list, and tests compare the calls that change something
 * (reads such as {@code status}, {@code isCurrent}, {@code list}, {@code live} are recorded too, and filtered
 * out as sample-controller filters list/watch actions).
 */
final class Fakes {
    private Fakes() {}

    /** {@code web/green/0}: app, color, replica, as the call log spells an instance. */
    static String slot(InstanceId id) {
        return id.app() + "/" + id.color().wire() + "/" + id.replica();
    }

    /**
     * The one ordered record of adapter calls. Each call that changes something is suffixed with the rollout
     * phase actual.json holds at that moment ({@code @Switching}; {@code @-} without a rollout or a file), so a
     * table can tell that a phase was persisted before the side effect. Probe watches are not calls on a fake
     * (ProbeWorker is a final class); the {@link ProbeSpy} turns changes in the worker's watches into
     * {@code probes.watch}/{@code probes.unwatch} entries at the next recorded call.
     */
    static final class Calls {
        private static final String READ = "read ";
        private final List<String> all = new ArrayList<>();
        Supplier<String> phaseOnDisk = () -> "-";
        ProbeSpy probes;

        synchronized void write(String call) {
            sync();
            all.add(call + " @" + phaseOnDisk.get());
        }

        synchronized void read(String call) {
            all.add(READ + call);
        }

        /** Records the probe watches that changed since the last entry. */
        synchronized void sync() {
            if (probes != null) {
                all.addAll(probes.changes());
            }
        }

        /** Everything that changed something, in order: driver and router writes and probe (un)watches. */
        synchronized List<String> writes() {
            return all.stream().filter(c -> !c.startsWith(READ)).toList();
        }

        /** The driver and router writes only. */
        synchronized List<String> effects() {
            return all.stream().filter(c -> c.startsWith("driver.") || c.startsWith("route.")).toList();
        }

        synchronized List<String> all() {
            return List.copyOf(all);
        }

        synchronized void clear() {
            sync();
            all.clear();
        }
    }

    /** A service manager in memory: units with an install flag, an active state and the spec they were written from. */
    static final class FakeDriver implements ServiceDriver {
        enum State {
            /** installed, active, running */
            RUNNING,
            /** installed, inactive (stopped by hand, or never started) */
            STOPPED,
            /** installed, failed */
            FAILED,
            /** installed, activating/auto-restart with 5 restarts: systemd restarts it, orch must not */
            CRASHLOOP,
            /** installed and running, but the unit file was edited by hand */
            EDITED
        }

        static final class Unit {
            boolean installed = true;
            boolean edited;
            ActiveState state = ActiveState.INACTIVE;
            String sub = "dead";
            int restarts;
            ServiceSpec spec;

            InstanceStatus status(InstanceId id) {
                boolean active = state == ActiveState.ACTIVE;
                return new InstanceStatus(id, installed, state, sub, active ? 4242 : 0, restarts, null, null, null);
            }

            @Override
            public String toString() {
                return (installed ? "" : "missing ") + (edited ? "edited " : "") + state.wire() + "/" + sub
                        + (spec == null ? "" : " " + spec.revision() + ":" + spec.port());
            }
        }

        private final Calls calls;
        final Map<InstanceId, Unit> units = new TreeMap<>(Comparator.comparing(InstanceId::unitName));
        /** Calls (as the log spells them, without the phase) that throw a DriverException after being recorded. */
        final Set<String> failing = new HashSet<>();
        private Consumer<InstanceEvent> listener;

        FakeDriver(Calls calls) {
            this.calls = calls;
        }

        /** Puts a unit in a state, as a test's precondition or a hand-made change; the change stream hears it. */
        void set(InstanceId id, State s) {
            InstanceStatus before = units.containsKey(id) ? units.get(id).status(id) : null;
            Unit u = units.computeIfAbsent(id, k -> new Unit());
            u.installed = true;
            u.edited = s == State.EDITED;
            u.restarts = s == State.CRASHLOOP ? 5 : 0;
            switch (s) {
                case RUNNING, EDITED -> {
                    u.state = ActiveState.ACTIVE;
                    u.sub = "running";
                }
                case STOPPED -> {
                    u.state = ActiveState.INACTIVE;
                    u.sub = "dead";
                }
                case FAILED -> {
                    u.state = ActiveState.FAILED;
                    u.sub = "failed";
                }
                case CRASHLOOP -> {
                    u.state = ActiveState.ACTIVATING;
                    u.sub = "auto-restart";
                }
            }
            emit(id, before);
        }

        /** The unit file was deleted by hand (the process, if any, is gone too). */
        void delete(InstanceId id) {
            InstanceStatus before = units.containsKey(id) ? units.get(id).status(id) : null;
            units.remove(id);
            emit(id, before);
        }

        private void emit(InstanceId id, InstanceStatus before) {
            if (listener != null) {
                Unit u = units.get(id);
                listener.accept(new InstanceEvent(id, before, u == null ? null : u.status(id)));
            }
        }

        private void write(String call) {
            calls.write(call);
            if (failing.contains(call)) {
                throw new DriverException(call + ": injected failure");
            }
        }

        /** What the host looks like, for comparing two runs. */
        String snapshot() {
            return units.entrySet().stream().map(e -> slot(e.getKey()) + "=" + e.getValue()).collect(Collectors.joining(", "));
        }

        @Override
        public String kind() {
            return "fake";
        }

        @Override
        public InstallResult install(List<ServiceSpec> specs) {
            write("driver.install " + specs.stream().map(s -> s.id().baseName()).collect(Collectors.joining(" ")));
            List<InstanceId> changed = new ArrayList<>();
            List<InstanceId> unchanged = new ArrayList<>();
            for (ServiceSpec s : specs) {
                Unit u = units.get(s.id());
                if (u != null && u.installed && !u.edited && (u.spec == null || u.spec.equals(s))) {
                    unchanged.add(s.id());
                    u.spec = s;
                    continue;
                }
                if (u == null) {
                    u = new Unit();
                    units.put(s.id(), u);
                }
                u.installed = true;
                u.edited = false;
                u.spec = s;
                changed.add(s.id());
            }
            return new InstallResult(changed, unchanged, !changed.isEmpty());
        }

        @Override
        public boolean isCurrent(ServiceSpec spec) {
            calls.read("driver.isCurrent " + slot(spec.id()));
            Unit u = units.get(spec.id());
            return u != null && u.installed && !u.edited && (u.spec == null || u.spec.equals(spec));
        }

        @Override
        public void start(InstanceId id) {
            write("driver.start " + slot(id));
            Unit u = units.get(id);
            if (u == null || !u.installed) {
                throw new DriverException("Unit " + id.unitName() + " not found.");
            }
            u.state = ActiveState.ACTIVE;
            u.sub = "running";
            u.restarts = 0;
        }

        @Override
        public void stop(InstanceId id) {
            write("driver.stop " + slot(id));
            Unit u = units.get(id);
            if (u != null) {
                u.state = ActiveState.INACTIVE;
                u.sub = "dead";
            }
        }

        @Override
        public void restart(InstanceId id) {
            write("driver.restart " + slot(id));
            Unit u = units.get(id);
            if (u == null || !u.installed) {
                throw new DriverException("Unit " + id.unitName() + " not found.");
            }
            u.state = ActiveState.ACTIVE;
            u.sub = "running";
        }

        @Override
        public InstanceStatus status(InstanceId id) {
            calls.read("driver.status " + slot(id));
            Unit u = units.get(id);
            return u == null ? new InstanceStatus(id, false, ActiveState.INACTIVE, "dead", 0, 0, null, null, null) : u.status(id);
        }

        @Override
        public List<InstalledInstance> list() {
            calls.read("driver.list");
            List<InstalledInstance> out = new ArrayList<>();
            units.forEach((id, u) -> {
                if (u.installed) {
                    out.add(new InstalledInstance(id, u.spec == null ? "?" : u.spec.revision(), "apply", u.spec == null ? 0 : u.spec.port()));
                }
            });
            return out;
        }

        @Override
        public void remove(List<InstanceId> ids) {
            write("driver.remove " + ids.stream().map(Fakes::slot).toList());
            ids.forEach(units::remove);
        }

        @Override
        public Subscription watch(Consumer<InstanceEvent> l, Duration interval) {
            calls.read("driver.watch");
            listener = l;
            return () -> listener = null;
        }

        @Override
        public void close() {}
    }

    /** A router whose routes remember their live and idle color and whether they were closed. */
    static final class FakeRouter implements Router {
        private final Calls calls;
        final Map<String, FakeRoute> opened = new LinkedHashMap<>();
        final Set<String> failing = new HashSet<>();

        FakeRouter(Calls calls) {
            this.calls = calls;
        }

        @Override
        public RouteHandle open(String app, RouteSpec spec) {
            write("route.open " + app);
            FakeRoute r = new FakeRoute(app, spec, calls, failing);
            opened.put(app, r);
            return r;
        }

        /** A route as it was before this pass (opened by an earlier daemon pass): not recorded. */
        FakeRoute existing(String app, RouteSpec spec, Color live) {
            FakeRoute r = new FakeRoute(app, spec, calls, failing);
            r.live = live;
            opened.put(app, r);
            return r;
        }

        private void write(String call) {
            calls.write(call);
            if (failing.contains(call)) {
                throw new dev.orch.route.RouteBindException(call + ": injected failure", null);
            }
        }

        String snapshot() {
            return opened.values().stream().map(FakeRoute::toString).collect(Collectors.joining(", "));
        }

        @Override
        public void close() {}
    }

    static final class FakeRoute implements RouteHandle {
        final String app;
        final RouteSpec spec;
        private final Calls calls;
        private final Set<String> failing;
        Color live;
        List<Backend> liveBackends = List.of();
        Color idle;
        List<Backend> idleBackends = List.of();
        boolean closed;

        FakeRoute(String app, RouteSpec spec, Calls calls, Set<String> failing) {
            this.app = app;
            this.spec = spec;
            this.calls = calls;
            this.failing = failing;
        }

        private void write(String call) {
            calls.write(call);
            if (failing.contains(call)) {
                throw new IllegalStateException(call + ": injected failure");
            }
        }

        @Override
        public String app() {
            return app;
        }

        @Override
        public int port() {
            return spec.port();
        }

        @Override
        public Optional<Integer> previewPort() {
            return Optional.ofNullable(spec.previewPort());
        }

        /** As VertxRoute: the previous live color becomes the preview's target; no backends is an error. */
        @Override
        public void switchTo(Color color, List<Backend> backends) {
            write("route.switchTo " + app + " " + color + " " + backends);
            if (closed) {
                throw new IllegalStateException("route of " + app + " is closed");
            }
            if (backends.isEmpty()) {
                throw new IllegalArgumentException("switchTo needs a color and at least one backend");
            }
            if (live != null && live != color) {
                idle = live;
                idleBackends = liveBackends;
            } else if (idle == color) {
                idle = null;
                idleBackends = List.of();
            }
            live = color;
            liveBackends = List.copyOf(backends);
        }

        /** As VertxRoute: the live color cannot be the idle one; no backends leaves the preview without a target. */
        @Override
        public void setIdle(Color color, List<Backend> backends) {
            write("route.setIdle " + app + " " + color + " " + backends);
            if (closed) {
                throw new IllegalStateException("route of " + app + " is closed");
            }
            if (live == color) {
                throw new IllegalArgumentException(color + " is the live color of " + app + ", it cannot be the idle one");
            }
            idle = backends.isEmpty() ? null : color;
            idleBackends = List.copyOf(backends);
        }

        @Override
        public Optional<Color> live() {
            calls.read("route.live " + app);
            return Optional.ofNullable(live);
        }

        @Override
        public Optional<Color> idle() {
            calls.read("route.idle " + app);
            return Optional.ofNullable(idle);
        }

        @Override
        public int inFlight(Color color) {
            return 0;
        }

        @Override
        public void close() {
            write("route.close " + app);
            closed = true;
        }

        @Override
        public String toString() {
            return app + (closed ? " closed" : "") + " live=" + live + liveBackends + " idle=" + idle + idleBackends;
        }
    }

    /**
     * Reports what a real {@link ProbeWorker} watches. The worker is final and has no seam for a fake, so its
     * watch table is read reflectively; a watch that was replaced (a restart of the probe) counts as a new watch.
     */
    /** The real probe worker, recording which watches start and stop (the executor's probe calls). */
    static final class ProbeSpy implements Probing {
        private final Probing inner;
        /** Per key, a token that changes with every watch call (a restarted watch reads as a change). */
        private final Map<ProbeWorker.Key, Object> watches = new java.util.concurrent.ConcurrentHashMap<>();
        private Map<ProbeWorker.Key, Object> last = new LinkedHashMap<>();

        ProbeSpy(Probing inner) {
            this.inner = inner;
        }

        @Override
        public void watch(ProbeWorker.Key key, dev.orch.manifest.Probe probe, dev.orch.probe.ProbeTarget target, Map<String, String> env,
                java.util.function.BiConsumer<ProbeWorker.Key, dev.orch.probe.ProbeState> onChange) {
            watches.put(key, new Object());
            inner.watch(key, probe, target, env, onChange);
        }

        @Override
        public void unwatch(ProbeWorker.Key key) {
            watches.remove(key);
            inner.unwatch(key);
        }

        @Override
        public dev.orch.probe.ProbeState state(ProbeWorker.Key key) {
            return inner.state(key);
        }

        @Override
        public void close() {
            inner.close();
        }

        static String name(ProbeWorker.Key k) {
            return k.app() + "/" + k.color() + "/" + k.replica() + " " + k.kind();
        }

        /** The keys watched now, by name, sorted. */
        List<String> watched() {
            return watches.keySet().stream().map(ProbeSpy::name).sorted().toList();
        }

        /** Unwatches, then (re)watches, since the last call; each group sorted by key. */
        List<String> changes() {
            Map<ProbeWorker.Key, Object> now = new LinkedHashMap<>(watches);
            List<String> out = new ArrayList<>();
            last.keySet().stream().filter(k -> !now.containsKey(k)).map(k -> "probes.unwatch " + name(k)).sorted().forEach(out::add);
            now.entrySet().stream().filter(e -> last.get(e.getKey()) != e.getValue()).map(e -> "probes.watch " + name(e.getKey())).sorted()
                    .forEach(out::add);
            last = now;
            return out;
        }
    }
}
