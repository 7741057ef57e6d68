package dev.orch.reconcile;

import dev.orch.artifact.Channels;
import dev.orch.artifact.HttpArtifactDownloader;
import dev.orch.artifact.UploadWatch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import dev.orch.manifest.Artifact;
import dev.orch.manifest.Deployment;
import dev.orch.manifest.DeploymentSpec;
import dev.orch.manifest.Hardening;
import dev.orch.manifest.ObjectMeta;
import dev.orch.manifest.Probe;
import dev.orch.manifest.Protocol;
import dev.orch.manifest.Resources;
import dev.orch.manifest.RouteSpec;
import dev.orch.manifest.Strategy;
import dev.orch.manifest.Template;
import dev.orch.probe.ProbeWorker;
import dev.orch.reconcile.Fakes.Calls;
import dev.orch.reconcile.Fakes.FakeDriver;
import dev.orch.reconcile.Fakes.FakeDriver.State;
import dev.orch.reconcile.Fakes.FakeRouter;
import dev.orch.reconcile.Fakes.ProbeSpy;
import dev.orch.state.ActualState;
import dev.orch.state.AppEvent;
import dev.orch.state.ArtifactStore;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.Condition;
import dev.orch.state.ConditionType;
import dev.orch.state.DesiredApp;
import dev.orch.state.Reason;
import dev.orch.state.Revision;
import dev.orch.state.Rollout;
import dev.orch.state.RolloutPhase;
import dev.orch.state.Source;
import dev.orch.state.StateStore;
import dev.orch.state.StatusInbox;
import dev.orch.systemd.DriverException;
import dev.orch.systemd.InstanceId;
import dev.orch.systemd.StatusCache;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The executor as a table, the way Kubernetes' sample-controller tests its sync handler: given the state on
 * disk, the units on a scriptable fake driver and the route on a fake router (the observation is built by the
 * real Observer and the plan by the real Planner, through {@link Reconciler#reconcile}), one pass makes
 * exactly these calls, in this order, and leaves exactly this phase in actual.json.
 *
 * <p>Each call is written {@code <call> @<phase>}, the phase actual.json held at the moment of the call
 * ({@code @-}: actual.json has no rollout, {@code @none}: there is no actual.json); so a row shows that a phase
 * written before a side effect was on disk before it. The phase after the pass: a phase, {@code -} (no rollout),
 * {@code none} (no actual.json) or {@code gone} (the app's directory is archived or never existed).
 */
class ExecutorTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final Instant EARLIER = NOW.minusSeconds(3600);
    static final String APP = "web";
    static final Color B = Color.BLUE;
    static final Color G = Color.GREEN;

    @TempDir
    Path dir;

    Vertx vertx;

    @BeforeEach
    void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void close() {
        vertx.close();
    }

    // ---- manifests: versions of one app, told apart by an argument

    static final Probe HEALTHZ = new Probe(new Probe.HttpGetAction("/healthz", null, null, "HTTP", null), null, null, 3600, 10, 1, 1, 3);
    static final Probe ALIVE = new Probe(null, new Probe.TcpSocketAction(null, null), null, 3600, 10, 1, 1, 3);

    static Deployment version(int n, int replicas, boolean autoPromote, int historyLimit, boolean probes, Artifact artifact) {
        Template t = new Template(List.of("/usr/bin/python3"), List.of("app.py", "--version", Integer.toString(n)), List.of(), null, null, "PORT",
                artifact, probes ? HEALTHZ : null, probes ? ALIVE : null, Resources.NONE, Hardening.DEFAULTS, 30);
        DeploymentSpec spec = new DeploymentSpec(replicas, ROUTE, t, new Strategy("BlueGreen", new Strategy.BlueGreen(autoPromote, 300)), 600, historyLimit);
        return new Deployment(Deployment.API_VERSION, Deployment.KIND, new ObjectMeta(APP, null, null), spec);
    }

    static final RouteSpec ROUTE = new RouteSpec(8080, Protocol.HTTP, "0.0.0.0", null, 30);
    static final Deployment V1 = version(1, 1, true, 10, false, null);
    static final Deployment V2 = version(2, 1, true, 10, false, null);
    static final Deployment V3 = version(3, 1, true, 10, false, null);
    static final Deployment V2_MANUAL = version(2, 1, false, 10, false, null);
    static final Deployment V2_TWICE = version(2, 2, true, 10, false, null);
    static final Deployment V1_PROBED = version(1, 1, true, 10, true, null);
    static final Deployment V2_PROBED = version(2, 1, true, 10, true, null);
    static final Deployment V4_HISTORY_1 = version(4, 1, true, 1, false, null);

    static String hash(Deployment d) {
        return RevisionHash.of(d.spec().template(), null);
    }

    // ---- actual states

    static ColorState blue(int rev, Deployment d) {
        return new ColorState(rev, hash(d), List.of(20001), List.of("orch-web-blue-0.service"), EARLIER);
    }

    static ColorState green(int rev, Deployment d) {
        List<Integer> ports = d.spec().replicas() == 1 ? List.of(20002) : List.of(20002, 20003);
        return new ColorState(rev, hash(d), ports, ports.size() == 1 ? List.of("orch-web-green-0.service")
                : List.of("orch-web-green-0.service", "orch-web-green-1.service"), EARLIER);
    }

    static Rollout rollout(RolloutPhase phase, int rev, Deployment d, Color target, Instant since, Instant deadline) {
        return new Rollout(phase, rev, hash(d), target, since, deadline, false);
    }

    /** Blue live on revision 1 of {@code d}, its rollout complete. */
    static ActualState liveBlue(Deployment d) {
        return ActualState.EMPTY.withColor(B, blue(1, d)).withLive(B).withObservedGeneration(1)
                .withRollout(rollout(RolloutPhase.COMPLETE, 1, d, B, EARLIER, null));
    }

    /** Revision 2 of {@code d} rolling out to green in {@code phase}, blue live on revision 1 of {@code live}. */
    static ActualState rollingOut(Deployment live, Deployment d, RolloutPhase phase, Instant deadline) {
        return liveBlue(live).withColor(G, green(2, d)).withObservedGeneration(2)
                .withRollout(rollout(phase, 2, d, G, NOW.minusSeconds(10), deadline));
    }

    /** Green live on revision 2 of V2 since {@code since}, blue (revision 1 of V1) draining. */
    static ActualState draining(Instant since) {
        return ActualState.EMPTY.withColor(B, blue(1, V1)).withColor(G, green(2, V2)).withLive(G).withObservedGeneration(2)
                .withRollout(rollout(RolloutPhase.DRAINING, 2, V2, G, since, null));
    }

    static ActualState greenLive() {
        return ActualState.EMPTY.withColor(B, blue(1, V1)).withColor(G, green(2, V2)).withLive(G).withObservedGeneration(2)
                .withRollout(rollout(RolloutPhase.COMPLETE, 2, V2, G, EARLIER, null));
    }

    static final String NO_PORT = "no free port left in the range 20001-20010 (set orch.ports.range to a larger range)";

    // ---- the harness: the reconcile graph as DaemonRoot wires it, over the fakes

    /** A clock the rows can move. */
    static final class TestClock extends Clock {
        Instant now = NOW;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    static final class Harness {
        final TestClock clock = new TestClock();
        final StateStore store;
        final Calls calls = new Calls();
        final FakeDriver driver = new FakeDriver(calls);
        final FakeRouter router = new FakeRouter(calls);
        final ProbeWorker probes;
        final ProbeSpy spy;
        final StatusInbox inbox;
        final OpenRoutes routes;
        final DriverExecutor executor;
        final Reconciler reconciler;
        final List<Plan> plans = new ArrayList<>();
        final List<String> signals = new ArrayList<>();
        IntPredicate free = p -> true;
        /** How many times each pass performs its plan (2: the effect repeated, as after a crash before the status write). */
        int performs = 1;

        Harness(Path root, Vertx vertx) {
            store = new StateStore(root, clock);
            probes = new ProbeWorker(vertx);
            spy = new ProbeSpy(probes);
            calls.probes = spy;
            calls.phaseOnDisk = () -> phase("none");
            inbox = new StatusInbox();
            StatusCache statuses = new StatusCache(driver);
            statuses.start(ev -> { }, Duration.ofSeconds(1));
            routes = new OpenRoutes();
            ArtifactStore artifacts = new ArtifactStore(store.artifactsDir());
            PortAllocator ports = new PortAllocator(20001, 20010, p -> free.test(p));
            executor = new DriverExecutor(store, driver, statuses, router, routes, spy, artifacts, HttpArtifactDownloader.withDefaults(artifacts), UploadWatch.NONE, Channels.NONE, ports, inbox, clock, app -> { });
            Executor recording = (o, plan) -> {
                plans.add(plan);
                Executor.Outcome out = null;
                for (int i = 0; i < performs; i++) {
                    out = executor.perform(o, plan);
                }
                return out;
            };
            ReconcileHooks hooks = new ReconcileHooks() {
                @Override
                public void rolloutEnded(String app, String result, String reason) {
                    signals.add("rolloutEnded " + result + " " + reason);
                }

                @Override
                public void driftCorrected(String app, String kind) {
                    signals.add("driftCorrected " + kind);
                }
            };
            reconciler = new Reconciler(inbox, new Observer(store, driver, statuses, spy, artifacts, UploadWatch.NONE, Channels.NONE, routes, clock), recording,
                    new StatusWriter(store, clock), hooks);
        }

        ActualState actual() {
            return store.readActual(APP).orElseThrow();
        }

        /** The rollout phase in actual.json: {@code -} without a rollout, {@code none} without the file, {@code gone} without the app's directory. */
        String phase(String noFile) {
            if (!Files.isDirectory(store.appDir(APP))) {
                return "gone";
            }
            return store.readActual(APP).map(a -> a.rollout() == null ? "-" : a.rollout().phase().wire()).orElse(noFile);
        }

        Result pass() {
            Result r = reconciler.reconcile(APP);
            calls.sync();
            return r;
        }

        String appDir() {
            try (Stream<Path> files = Files.walk(store.appDir(APP))) {
                return files.map(p -> store.appDir(APP).relativize(p) + (Files.isRegularFile(p) ? "=" + read(p) : "")).sorted().toList().toString();
            } catch (IOException e) {
                return "(no app directory)";
            }
        }

        private static String read(Path p) {
            try {
                return Files.readString(p);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ---- the given: what is on disk, on the host and in the router before the pass

    interface Given extends Consumer<Harness> {
        default Given and(Given next) {
            return h -> {
                accept(h);
                next.accept(h);
            };
        }
    }

    static Given desired(Deployment d, long generation) {
        return h -> h.store.writeDesired(new DesiredApp(d, Source.APPLY, generation, EARLIER, EARLIER));
    }

    static Given revisions(Deployment... ds) {
        return h -> {
            for (int i = 0; i < ds.length; i++) {
                h.store.putRevision(APP, new Revision(i + 1, hash(ds[i]), ds[i], Source.APPLY, EARLIER));
            }
        };
    }

    static Given actual(ActualState a) {
        return h -> h.store.writeActual(APP, a);
    }

    static Given unit(Color c, int replica, State s) {
        return h -> h.driver.set(new InstanceId(APP, c, replica), s);
    }

    /** The route an earlier pass of this daemon opened, forwarding to {@code live} (null: nowhere). */
    static Given route(Color live) {
        return routeFor(ROUTE, live);
    }

    static Given routeFor(RouteSpec spec, Color live) {
        return h -> h.routes.put(APP, spec, h.router.existing(APP, spec, live));
    }

    static Given inbox(UnaryOperator<ActualState> change) {
        return h -> h.inbox.post(APP, change);
    }

    static Given failing(String call) {
        return h -> {
            h.driver.failing.add(call);
            h.router.failing.add(call);
        };
    }

    static Given freePorts(IntPredicate free) {
        return h -> h.free = free;
    }

    /** A pass before the row's (e.g. to start probes), whose calls are not the row's. */
    static Given earlierPass() {
        return h -> {
            h.pass();
            h.plans.clear();
            h.calls.clear();
        };
    }

    static Given later(Duration d) {
        return h -> h.clock.now = h.clock.now.plus(d);
    }

    static Given deleteDesired() {
        return h -> h.store.deleteDesired(APP);
    }

    /** Blue live and converged on revision 1 of {@code d}. */
    static Given steady(Deployment d) {
        return desired(d, 1).and(revisions(d)).and(actual(liveBlue(d))).and(unit(B, 0, State.RUNNING)).and(route(B));
    }

    /** Revision 2 of {@code d} rolling out to green in {@code phase} (deadline in 590s), blue live on V1 and running. */
    static Given rolling(Deployment d, RolloutPhase phase) {
        return rolling(V1, d, phase, NOW.plusSeconds(590));
    }

    static Given rolling(Deployment live, Deployment d, RolloutPhase phase, Instant deadline) {
        return desired(d, 2).and(revisions(live, d)).and(actual(rollingOut(live, d, phase, deadline))).and(unit(B, 0, State.RUNNING)).and(route(B));
    }

    static Given nothing() {
        return h -> { };
    }

    // ---- rows

    record Row(String name, Given given, Effect effect, Result result, String phase, List<String> calls, List<String> repeated,
            Class<? extends Throwable> fails, Consumer<Harness> then) {
        /** What the pass performing the plan twice calls, when the repeat differs from the first call list doubled. */
        Row repeated(String... c) {
            return new Row(name, given, effect, result, phase, calls, List.of(c), fails, then);
        }

        Row fails(Class<? extends Throwable> type) {
            return new Row(name, given, effect, null, phase, calls, repeated, type, then);
        }

        Row then(Consumer<Harness> check) {
            return new Row(name, given, effect, result, phase, calls, repeated, fails, this.then.andThen(check));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Row row(String name, Given given, Effect effect, Result result, String phase, String... calls) {
        return new Row(name, given, effect, result, phase, List.of(calls), null, null, h -> { });
    }

    static Stream<Row> table() {
        String blueBackend = "[127.0.0.1:20001]";
        String greenBackend = "[127.0.0.1:20002]";
        return Stream.of(
                // ---- None: status only, nothing called
                row("converged app: nothing is called", steady(V1),
                        Effect.NONE, Result.DONE, "Complete"),
                row("keeping the old color warm calls nothing", desired(V2, 2).and(revisions(V1, V2)).and(actual(draining(NOW.minusSeconds(10))))
                                .and(unit(B, 0, State.RUNNING)).and(unit(G, 0, State.RUNNING)).and(route(G)),
                        Effect.NONE, new Result.RequeueAfter(Duration.ofSeconds(290)), "Draining"),
                row("a warm switch back begins with a status-only step", desired(V1, 3).and(revisions(V1, V2)).and(actual(draining(NOW.minusSeconds(10))))
                                .and(unit(B, 0, State.RUNNING)).and(unit(G, 0, State.RUNNING)).and(route(G)),
                        Effect.NONE, Result.NOW, "Switching")
                        .then(h -> assertThat(h.actual().rollout()).isEqualTo(new Rollout(RolloutPhase.SWITCHING, 1, hash(V1), B, NOW, null, true))),
                row("waiting for readiness starts the probes of every running replica", rolling(V1_PROBED, V2_PROBED, RolloutPhase.WAITING_READY, NOW.plusSeconds(590))
                                .and(unit(G, 0, State.RUNNING)),
                        Effect.NONE, new Result.RequeueAfter(Duration.ofSeconds(1)), "WaitingReady",
                        "probes.watch web/blue/0 LIVENESS", "probes.watch web/blue/0 READINESS",
                        "probes.watch web/green/0 LIVENESS", "probes.watch web/green/0 READINESS"),
                row("an aborted revision is not retried: nothing is called", desired(V2, 2).and(revisions(V1, V2))
                                .and(actual(liveBlue(V1).withColor(G, green(2, V2)).withRollout(rollout(RolloutPhase.ABORTED, 2, V2, G, NOW, null))))
                                .and(unit(B, 0, State.RUNNING)).and(unit(G, 0, State.STOPPED)).and(route(B)),
                        Effect.NONE, Result.DONE, "Aborted"),

                // ---- PrepareRevision: artifact, revision and ports; no unit or route call
                row("first deploy: revision 1 stored, the first port picked", desired(V1, 1).and(route(null)),
                        new Effect.PrepareRevision(B, 1, hash(V1), 1), Result.NOW, "Preparing")
                        .then(h -> {
                            assertThat(h.actual().blue()).isEqualTo(new ColorState(1, hash(V1), List.of(20001), List.of("orch-web-blue-0.service"), NOW));
                            assertThat(h.store.readRevision(APP, 1)).hasValueSatisfying(r -> assertThat(r.hash()).isEqualTo(hash(V1)));
                            assertThat(h.store.readAudit(APP, 10)).extracting(a -> a.action()).containsExactly("rollout");
                        }),
                row("new revision: green gets the lowest port no color holds", steady(V1).and(desired(V2, 2)),
                        new Effect.PrepareRevision(G, 2, hash(V2), 1), Result.NOW, "Preparing")
                        .then(h -> {
                            assertThat(h.actual().green().ports()).containsExactly(20002);
                            assertThat(h.actual().blue()).isEqualTo(blue(1, V1));
                            assertThat(h.store.revisions(APP)).extracting(Revision::number).containsExactly(1, 2);
                        }),
                row("two replicas get two ports", steady(V1).and(desired(V2_TWICE, 2)),
                        new Effect.PrepareRevision(G, 2, hash(V2_TWICE), 2), Result.NOW, "Preparing")
                        .then(h -> assertThat(h.actual().green()).isEqualTo(new ColorState(2, hash(V2_TWICE), List.of(20002, 20003),
                                List.of("orch-web-green-0.service", "orch-web-green-1.service"), NOW))),
                row("a color keeps the ports it had", steady(V1).and(desired(V3, 3)).and(revisions(V1, V2))
                                .and(actual(liveBlue(V1).withColor(G, green(2, V2).withPorts(List.of(20007)))
                                        .withRollout(rollout(RolloutPhase.ABORTED, 2, V2, G, EARLIER, null)))),
                        new Effect.PrepareRevision(G, 3, hash(V3), 1), Result.NOW, "Preparing")
                        .then(h -> assertThat(h.actual().green().ports()).containsExactly(20007)),
                row("a kept port that another process took meanwhile is replaced", steady(V1).and(desired(V3, 3)).and(revisions(V1, V2))
                                .and(actual(liveBlue(V1).withColor(G, green(2, V2).withPorts(List.of(20007)))
                                        .withRollout(rollout(RolloutPhase.ABORTED, 2, V2, G, EARLIER, null))))
                                .and(freePorts(p -> p != 20007)),
                        new Effect.PrepareRevision(G, 3, hash(V3), 1), Result.NOW, "Preparing")
                        .then(h -> assertThat(h.actual().green().ports()).containsExactly(20002)),
                row("scaling a color down removes its replicas above the new count", steady(V1).and(desired(V3, 3)).and(revisions(V1, V2_TWICE))
                                .and(actual(liveBlue(V1).withColor(G, green(2, V2_TWICE))
                                        .withRollout(rollout(RolloutPhase.ABORTED, 2, V2_TWICE, G, EARLIER, null)))),
                        new Effect.PrepareRevision(G, 3, hash(V3), 1), Result.NOW, "Preparing", "driver.remove [web/green/1] @Aborted")
                        .then(h -> assertThat(h.actual().green().ports()).containsExactly(20002)),
                row("ports of other apps and ports bound by other processes are skipped", steady(V1).and(desired(V2, 2))
                                .and(h -> h.store.writeActual("api", ActualState.EMPTY.withColor(G, green(1, V1))))
                                .and(freePorts(p -> p != 20003)),
                        new Effect.PrepareRevision(G, 2, hash(V2), 1), Result.NOW, "Preparing")
                        .then(h -> assertThat(h.actual().green().ports()).containsExactly(20004)),
                row("no free port: Stalled at the desired generation, no rollout persisted", steady(V1).and(desired(V2, 2)).and(freePorts(p -> false)),
                        new Effect.PrepareRevision(G, 2, hash(V2), 1), new Result.Terminal(Reason.NO_FREE_PORT, NO_PORT), "Complete")
                        .then(h -> {
                            ActualState a = h.actual();
                            assertThat(a.green()).isNull();
                            assertThat(a.observedGeneration()).isEqualTo(2);
                            assertThat(a.condition(ConditionType.STALLED)).extracting(Condition::status, Condition::reason, Condition::message)
                                    .containsExactly(dev.orch.state.ConditionStatus.TRUE, "NoFreePort", NO_PORT);
                            assertThat(a.events()).extracting(AppEvent::reason).containsExactly("NoFreePort");
                            // the ports are picked before the revision is stored: a stalled attempt uses up no number
                            assertThat(h.store.revisions(APP)).extracting(Revision::number).containsExactly(1);
                        }),
                row("still no free port at the same generation: nothing is tried", steady(V1).and(desired(V2, 2))
                                .and(actual(liveBlue(V1).withObservedGeneration(2).withCondition(Condition.of(ConditionType.STALLED,
                                        dev.orch.state.ConditionStatus.TRUE, Reason.NO_FREE_PORT, NO_PORT, NOW)))),
                        Effect.NONE, new Result.Terminal(Reason.NO_FREE_PORT, NO_PORT), "Complete"),
                row("a new generation tries again", steady(V1).and(desired(V2, 3))
                                .and(actual(liveBlue(V1).withObservedGeneration(2).withCondition(Condition.of(ConditionType.STALLED,
                                        dev.orch.state.ConditionStatus.TRUE, Reason.NO_FREE_PORT, NO_PORT, NOW)))),
                        new Effect.PrepareRevision(G, 2, hash(V2), 1), Result.NOW, "Preparing")
                        .then(h -> assertThat(h.actual().condition(ConditionType.STALLED).reason()).isEqualTo("InputsChanged")),
                row("old revisions are pruned to the history limit, the live one kept", steady(V1).and(revisions(V1, V2, V3)).and(desired(V4_HISTORY_1, 4)),
                        new Effect.PrepareRevision(G, 4, hash(V4_HISTORY_1), 1), Result.NOW, "Preparing")
                        .then(h -> assertThat(h.store.revisions(APP)).extracting(Revision::number).containsExactly(1, 4)),
                row("a cold rollout back to a stopped color that holds the desired hash gets a new revision",
                        desired(V1, 3).and(revisions(V1, V2)).and(actual(greenLive())).and(unit(B, 0, State.STOPPED)).and(unit(G, 0, State.RUNNING)).and(route(G)),
                        new Effect.PrepareRevision(B, 3, hash(V1), 1), Result.NOW, "Preparing")
                        .then(h -> {
                            assertThat(h.actual().blue().ports()).containsExactly(20001);
                            assertThat(h.store.readRevision(APP, 3)).hasValueSatisfying(r -> assertThat(r.hash()).isEqualTo(hash(V1)));
                        }),

                // ---- InstallUnits
                row("preparing installs the target's units", rolling(V2, RolloutPhase.PREPARING),
                        new Effect.InstallUnits(G), Result.NOW, "Starting",
                        "driver.install orch-web-green-0 @Preparing")
                        .then(h -> assertThat(h.driver.snapshot()).contains("web/green/0=inactive/dead " + hash(V2) + ":20002")),
                row("two replicas are installed in one batch", rolling(V2_TWICE, RolloutPhase.PREPARING),
                        new Effect.InstallUnits(G), Result.NOW, "Starting",
                        "driver.install orch-web-green-0 orch-web-green-1 @Preparing"),
                row("a hand-edited live unit is rewritten", steady(V1).and(unit(B, 0, State.EDITED)),
                        new Effect.InstallUnits(B), Result.NOW, "Complete",
                        "driver.install orch-web-blue-0 @Complete")
                        .then(h -> assertThat(h.signals).containsExactly("driftCorrected unit_rewritten")),
                row("a deleted live unit is reinstalled", steady(V1).and(h -> h.driver.delete(new InstanceId(APP, B, 0))),
                        new Effect.InstallUnits(B), Result.NOW, "Complete",
                        "driver.install orch-web-blue-0 @Complete"),

                // ---- StartUnits
                row("starting starts the target's units and points the preview at them", rolling(V2, RolloutPhase.STARTING).and(unit(G, 0, State.STOPPED)),
                        new Effect.StartUnits(G, true), Result.NOW, "WaitingReady",
                        "driver.start web/green/0 @Starting",
                        "route.setIdle web green " + greenBackend + " @Starting"),
                row("starting two replicas: each started, both previewed", rolling(V2_TWICE, RolloutPhase.STARTING)
                                .and(unit(G, 0, State.STOPPED)).and(unit(G, 1, State.STOPPED)),
                        new Effect.StartUnits(G, true), Result.NOW, "WaitingReady",
                        "driver.start web/green/0 @Starting",
                        "driver.start web/green/1 @Starting",
                        "route.setIdle web green [127.0.0.1:20002, 127.0.0.1:20003] @Starting"),
                row("first deploy: blue started and previewed", desired(V1, 1).and(revisions(V1)).and(unit(B, 0, State.STOPPED)).and(route(null))
                                .and(actual(ActualState.EMPTY.withColor(B, blue(1, V1)).withRollout(rollout(RolloutPhase.STARTING, 1, V1, B, NOW, NOW.plusSeconds(600))))),
                        new Effect.StartUnits(B, true), Result.NOW, "WaitingReady",
                        "driver.start web/blue/0 @Starting",
                        "route.setIdle web blue " + blueBackend + " @Starting"),
                row("a live unit stopped by hand is started, the preview left alone", steady(V1).and(unit(B, 0, State.STOPPED)),
                        new Effect.StartUnits(B, false), Result.NOW, "Complete",
                        "driver.start web/blue/0 @Complete")
                        .then(h -> assertThat(h.signals).containsExactly("driftCorrected unit_started")),
                row("a failed live unit is started", steady(V1).and(unit(B, 0, State.FAILED)),
                        new Effect.StartUnits(B, false), Result.NOW, "Complete",
                        "driver.start web/blue/0 @Complete"),
                row("a rollout's units found stopped while waiting are started again", rolling(V2, RolloutPhase.WAITING_READY).and(unit(G, 0, State.STOPPED)),
                        new Effect.StartUnits(G, false), Result.NOW, "WaitingReady",
                        "driver.start web/green/0 @WaitingReady"),

                // ---- SwitchRoute
                row("ready target: Switching is persisted, then the route flips", rolling(V2, RolloutPhase.WAITING_READY).and(unit(G, 0, State.RUNNING)),
                        new Effect.SwitchRoute(G), Result.NOW, "Draining",
                        "route.switchTo web green " + greenBackend + " @Switching")
                        .then(h -> {
                            assertThat(h.actual().live()).isEqualTo(G);
                            assertThat(h.router.opened.get(APP).idle).as("the old live color is the preview's").isEqualTo(B);
                            assertThat(h.store.readAudit(APP, 10)).extracting(a -> a.action() + " " + new java.util.TreeMap<>(a.details()))
                                    .containsExactly("switch {color=green, revision=2}");
                        }),
                row("resumed in Switching (after a crash): the route flips again", rolling(V2, RolloutPhase.SWITCHING).and(unit(G, 0, State.RUNNING)),
                        new Effect.SwitchRoute(G), Result.NOW, "Draining",
                        "route.switchTo web green " + greenBackend + " @Switching"),
                row("a manual promotion from the inbox switches, persisted with the Switching phase",
                        rolling(V2_MANUAL, RolloutPhase.WAITING_READY).and(unit(G, 0, State.RUNNING)).and(inbox(a -> a.withRollout(a.rollout().promote()))),
                        new Effect.SwitchRoute(G), Result.NOW, "Draining",
                        "route.switchTo web green " + greenBackend + " @Switching")
                        .then(h -> assertThat(h.actual().rollout().promoted()).isTrue()),
                row("first deploy ready: the route goes to blue", desired(V1, 1).and(revisions(V1)).and(unit(B, 0, State.RUNNING)).and(route(null))
                                .and(actual(ActualState.EMPTY.withColor(B, blue(1, V1)).withRollout(rollout(RolloutPhase.WAITING_READY, 1, V1, B, NOW, NOW.plusSeconds(600))))),
                        new Effect.SwitchRoute(B), Result.NOW, "Draining",
                        "route.switchTo web blue " + blueBackend + " @Switching"),
                row("a route pointing nowhere goes to the ready live color", steady(V1).and(route(null)),
                        new Effect.SwitchRoute(B), Result.NOW, "Complete",
                        "route.switchTo web blue " + blueBackend + " @Complete"),
                row("a route pointing at the wrong color is corrected", steady(V1).and(route(G)),
                        new Effect.SwitchRoute(B), Result.NOW, "Complete",
                        "route.switchTo web blue " + blueBackend + " @Complete")
                        .then(h -> assertThat(h.signals).containsExactly("driftCorrected route_corrected")),

                // ---- OpenRoute
                row("new app: the route is opened first", desired(V1, 1),
                        new Effect.OpenRoute(null, null), Result.NOW, "none",
                        "route.open web @none")
                        .repeated("route.open web @none", "route.close web @none", "route.open web @none"),
                row("after a daemon restart the route is re-opened on the running live color", steady(V1).and(h -> h.routes.remove(APP)),
                        new Effect.OpenRoute(B, null), Result.NOW, "Complete",
                        "route.open web @Complete",
                        "route.switchTo web blue " + blueBackend + " @Complete")
                        .repeated("route.open web @Complete", "route.switchTo web blue " + blueBackend + " @Complete",
                                "route.close web @Complete", "route.open web @Complete", "route.switchTo web blue " + blueBackend + " @Complete"),
                row("restart mid-rollout: live adopted, the rollout's color previewed", rolling(V2, RolloutPhase.WAITING_READY).and(unit(G, 0, State.RUNNING))
                                .and(h -> h.routes.remove(APP)),
                        new Effect.OpenRoute(B, G), Result.NOW, "WaitingReady",
                        "route.open web @WaitingReady",
                        "route.switchTo web blue " + blueBackend + " @WaitingReady",
                        "route.setIdle web green " + greenBackend + " @WaitingReady")
                        .repeated("route.open web @WaitingReady", "route.switchTo web blue " + blueBackend + " @WaitingReady",
                                "route.setIdle web green " + greenBackend + " @WaitingReady",
                                "route.close web @WaitingReady", "route.open web @WaitingReady", "route.switchTo web blue " + blueBackend + " @WaitingReady",
                                "route.setIdle web green " + greenBackend + " @WaitingReady"),
                row("a changed route spec: the old listener closed, the new one opened on the live color",
                        steady(V1).and(routeFor(new RouteSpec(8081, Protocol.HTTP, "0.0.0.0", null, 30), B)),
                        new Effect.OpenRoute(B, null), Result.NOW, "Complete",
                        "route.close web @Complete",
                        "route.open web @Complete",
                        "route.switchTo web blue " + blueBackend + " @Complete"),
                row("live units down after a restart: re-opened without a live color", steady(V1).and(unit(B, 0, State.STOPPED)).and(h -> h.routes.remove(APP)),
                        new Effect.OpenRoute(null, null), Result.NOW, "Complete",
                        "route.open web @Complete")
                        .repeated("route.open web @Complete", "route.close web @Complete", "route.open web @Complete"),

                // ---- StopColor
                row("keep-warm over: the old color stopped and taken off the preview", desired(V2, 2).and(revisions(V1, V2))
                                .and(actual(draining(NOW.minusSeconds(301)))).and(unit(B, 0, State.RUNNING)).and(unit(G, 0, State.RUNNING)).and(route(G)),
                        new Effect.StopColor(B), Result.DONE, "Complete",
                        "driver.stop web/blue/0 @Draining",
                        "route.setIdle web blue [] @Draining")
                        .then(h -> {
                            assertThat(h.driver.snapshot()).isEqualTo("web/blue/0=inactive/dead, web/green/0=active/running");
                            assertThat(h.signals).containsExactly("rolloutEnded complete NewRevisionAvailable");
                        }),
                row("crash loop (5 restarts, the default limit): the target stopped and taken off the preview, blue keeps serving",
                        rolling(V1, V2, RolloutPhase.WAITING_READY, NOW.minusSeconds(1)).and(unit(G, 0, State.CRASHLOOP)),
                        new Effect.StopColor(G), Result.NOW, "Aborted",
                        "driver.stop web/green/0 @WaitingReady",
                        "route.setIdle web green [] @WaitingReady")
                        .then(h -> assertThat(h.signals).containsExactly("rolloutEnded aborted CrashLoop")),
                row("superseded: a newer desired state stops the target", rolling(V2, RolloutPhase.WAITING_READY).and(unit(G, 0, State.RUNNING)).and(desired(V3, 3)),
                        new Effect.StopColor(G), Result.NOW, "Aborted",
                        "driver.stop web/green/0 @WaitingReady",
                        "route.setIdle web green [] @WaitingReady"),
                row("aborting a probed target: its probes stop before its units, and stay stopped",
                        rolling(V1_PROBED, V2_PROBED, RolloutPhase.WAITING_READY, NOW.plusSeconds(5)).and(unit(G, 0, State.RUNNING))
                                .and(earlierPass()).and(later(Duration.ofSeconds(5))),
                        new Effect.StopColor(G), Result.NOW, "Aborted",
                        "probes.unwatch web/green/0 LIVENESS", "probes.unwatch web/green/0 READINESS",
                        "driver.stop web/green/0 @WaitingReady",
                        "route.setIdle web green [] @WaitingReady")
                        .then(h -> assertThat(h.spy.watched()).containsExactly("web/blue/0 LIVENESS", "web/blue/0 READINESS")),

                // ---- RemoveApp
                row("deleted app: route closed, every unit removed, state archived", steady(V1).and(deleteDesired())
                                .and(actual(liveBlue(V1).withColor(G, green(2, V2)))).and(unit(G, 0, State.STOPPED)),
                        new Effect.RemoveApp(), Result.DONE, "gone",
                        "route.close web @Complete",
                        "driver.remove [web/blue/0, web/green/0] @Complete")
                        .repeated("route.close web @Complete", "driver.remove [web/blue/0, web/green/0] @Complete", "driver.remove [] @Complete")
                        .then(h -> {
                            assertThat(h.driver.units).isEmpty();
                            assertThat(h.routes.get(APP)).isEmpty();
                            assertThat(h.store.root().resolve("archive")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("web-"));
                            assertThat(h.store.readAudit(APP, 10)).extracting(a -> a.action() + " " + new java.util.TreeMap<>(a.details())).containsExactly("delete {units=2}");
                        }),
                row("orch-marked units of an app orch has no state for are removed", unit(B, 0, State.STOPPED),
                        new Effect.RemoveApp(), Result.DONE, "gone",
                        "driver.remove [web/blue/0] @gone")
                        .repeated("driver.remove [web/blue/0] @gone", "driver.remove [] @gone"),
                row("deleted app with probes: they stop before the units are removed", steady(V1_PROBED).and(earlierPass()).and(deleteDesired()),
                        new Effect.RemoveApp(), Result.DONE, "gone",
                        "route.close web @Complete",
                        "probes.unwatch web/blue/0 LIVENESS", "probes.unwatch web/blue/0 READINESS",
                        "driver.remove [web/blue/0] @Complete")
                        .repeated("route.close web @Complete",
                                "probes.unwatch web/blue/0 LIVENESS", "probes.unwatch web/blue/0 READINESS",
                                "driver.remove [web/blue/0] @Complete", "driver.remove [] @Complete"),
                row("an unreadable desired.json never prunes: blocked, units kept", steady(V1)
                                .and(h -> write(h.store.appDir(APP).resolve("desired.json"), "{\"schemaVersion\":1,\"deploym")),
                        Effect.NONE, new Result.RequeueAfter(Duration.ofSeconds(30)), "Complete")
                        .then(h -> {
                            assertThat(h.driver.units).hasSize(1);
                            assertThat(h.actual().condition(ConditionType.PROGRESSING).reason()).isEqualTo("Blocked");
                        }),

                // ---- a driver or router failure mid-effect: nothing advanced past the before phase, the inbox kept
                row("the router refuses the switch: Switching and the promotion it carried stay on disk",
                        rolling(V2_MANUAL, RolloutPhase.WAITING_READY).and(unit(G, 0, State.RUNNING)).and(inbox(a -> a.withRollout(a.rollout().promote())))
                                .and(failing("route.switchTo web green " + greenBackend)),
                        new Effect.SwitchRoute(G), null, "Switching",
                        "route.switchTo web green " + greenBackend + " @Switching")
                        .fails(IllegalStateException.class)
                        .then(h -> {
                            assertThat(h.actual().rollout().promoted()).isTrue();
                            assertThat(h.actual().live()).isEqualTo(B);
                            assertThat(h.inbox.take(APP)).as("persisted with the before phase, not put back").isEmpty();
                            assertThat(h.store.readAudit(APP, 10)).isEmpty();
                        }),
                row("the second replica fails to start: Starting stays, the inbox change is put back",
                        rolling(V2_TWICE, RolloutPhase.STARTING).and(unit(G, 0, State.STOPPED)).and(unit(G, 1, State.STOPPED))
                                .and(inbox(a -> a.withEvent(NOW, dev.orch.state.EventType.NORMAL, "Promoted", "from the inbox")))
                                .and(failing("driver.start web/green/1")),
                        new Effect.StartUnits(G, true), null, "Starting",
                        "driver.start web/green/0 @Starting",
                        "driver.start web/green/1 @Starting")
                        .fails(DriverException.class)
                        .then(h -> {
                            assertThat(h.actual().events()).isEmpty();
                            assertThat(h.inbox.take(APP)).hasSize(1);
                        }),
                row("install fails: Preparing stays, the inbox change is put back",
                        rolling(V2, RolloutPhase.PREPARING).and(inbox(a -> a.withEvent(NOW, dev.orch.state.EventType.NORMAL, "Promoted", "x")))
                                .and(failing("driver.install orch-web-green-0")),
                        new Effect.InstallUnits(G), null, "Preparing",
                        "driver.install orch-web-green-0 @Preparing")
                        .fails(DriverException.class)
                        .then(h -> assertThat(h.inbox.take(APP)).hasSize(1)),
                row("stop fails during an abort: the rollout is not marked aborted",
                        rolling(V2, RolloutPhase.WAITING_READY).and(unit(G, 0, State.RUNNING)).and(desired(V3, 3)).and(failing("driver.stop web/green/0")),
                        new Effect.StopColor(G), null, "WaitingReady",
                        "driver.stop web/green/0 @WaitingReady")
                        .fails(DriverException.class)
                        .then(h -> assertThat(h.signals).isEmpty()),
                row("remove fails: the state is not archived", steady(V1).and(deleteDesired()).and(failing("driver.remove [web/blue/0]")),
                        new Effect.RemoveApp(), null, "Complete",
                        "route.close web @Complete",
                        "driver.remove [web/blue/0] @Complete")
                        .fails(DriverException.class)
                        .then(h -> assertThat(h.store.readAudit(APP, 10)).isEmpty()));
    }

    static Stream<Row> succeeding() {
        return table().filter(r -> r.fails() == null);
    }

    static void write(Path p, String text) {
        try {
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Harness harness(String name) {
        return new Harness(dir.resolve(name), vertx);
    }

    /** Runs the row's given, then one pass; returns what it threw (null if nothing). */
    static Throwable run(Harness h, Row r) {
        r.given().accept(h);
        h.calls.clear();
        h.plans.clear();
        try {
            Result result = h.pass();
            assertThat(result).as("result").isEqualTo(r.result());
            return null;
        } catch (RuntimeException | Error e) {
            if (r.fails() == null || e instanceof AssertionError) {
                throw e;
            }
            h.calls.sync();
            return e;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void performsExactly(Row r) {
        Harness h = harness("once");
        Throwable thrown = run(h, r);
        assertSoftly(s -> {
            s.assertThat(h.plans).as("plans performed").extracting(Plan::effect).containsExactly(r.effect());
            s.assertThat(h.calls.writes()).as("calls").isEqualTo(r.calls());
            s.assertThat(h.phase("none")).as("phase on disk after the pass").isEqualTo(r.phase());
            if (r.fails() != null) {
                s.assertThat(thrown).as("the pass fails").isInstanceOf(r.fails());
            }
        });
        r.then().accept(h);
    }

    /**
     * Performing the same plan twice (as after a crash between the effect and the status write) repeats the
     * driver and router calls and ends in the same state: same actual.json, revisions, units, route and probes.
     * Probes are only (un)watched once: an unchanged watch is left alone.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("succeeding")
    void performingAPlanTwiceEndsTheSame(Row r) {
        Harness once = harness("once");
        run(once, r);
        Harness twice = harness("twice");
        r.given().accept(twice);
        twice.calls.clear();
        twice.plans.clear();
        twice.performs = 2;
        assertThat(twice.pass()).isEqualTo(r.result());

        List<String> expected = r.repeated() != null ? r.repeated() : doubled(once.calls.writes());
        assertSoftly(s -> {
            s.assertThat(twice.plans).extracting(Plan::effect).containsExactly(r.effect());
            s.assertThat(twice.calls.writes()).as("calls").isEqualTo(expected);
            s.assertThat(twice.appDir()).as("app directory").isEqualTo(once.appDir());
            s.assertThat(twice.driver.snapshot()).as("units").isEqualTo(once.driver.snapshot());
            s.assertThat(twice.router.snapshot()).as("route").isEqualTo(once.router.snapshot());
            s.assertThat(twice.spy.watched()).as("probes").isEqualTo(once.spy.watched());
        });
    }

    /** The driver and router calls twice over; probe lines once, where the first run had them. */
    static List<String> doubled(List<String> calls) {
        List<String> effects = calls.stream().filter(c -> !c.startsWith("probes.")).toList();
        List<String> out = new ArrayList<>(calls);
        out.addAll(effects);
        return out;
    }

    // ---- whole passes in sequence

    @Test
    void aFirstDeployFromNothingToComplete() {
        Harness h = harness("journey");
        desired(V1, 1).accept(h);
        List<String> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            results.add(h.pass().toString());
        }
        assertThat(h.plans).extracting(Plan::effect).containsExactly(
                new Effect.OpenRoute(null, null),
                new Effect.PrepareRevision(B, 1, hash(V1), 1),
                new Effect.InstallUnits(B),
                new Effect.StartUnits(B, true),
                new Effect.SwitchRoute(B),
                Effect.NONE, // draining: nothing to stop (keep-warm waits on no old color)
                Effect.NONE,
                Effect.NONE);
        assertThat(h.calls.writes()).containsExactly(
                "route.open web @none",
                "driver.install orch-web-blue-0 @Preparing",
                "driver.start web/blue/0 @Starting",
                "route.setIdle web blue [127.0.0.1:20001] @Starting",
                "route.switchTo web blue [127.0.0.1:20001] @Switching");
        assertThat(h.actual().rollout().phase()).isEqualTo(RolloutPhase.COMPLETE);
        assertThat(h.actual().live()).isEqualTo(B);
        assertThat(h.actual().events()).extracting(e -> e.type() + " " + e.reason())
                .containsExactly("Normal RolloutStarted", "Normal Switched", "Normal RolloutComplete");
        assertThat(results.subList(5, 8)).containsExactly("Done[]", "Done[]", "Done[]");
    }

    @Test
    void aDeletedLiveUnitIsRewrittenOnceThenStarted() {
        Harness h = harness("drift");
        steady(V1).and(h2 -> h2.driver.delete(new InstanceId(APP, B, 0))).accept(h);
        h.calls.clear();
        for (int i = 0; i < 4; i++) {
            h.pass();
        }
        assertThat(h.calls.writes()).containsExactly(
                "driver.install orch-web-blue-0 @Complete",
                "driver.start web/blue/0 @Complete");
        assertThat(h.actual().events()).extracting(AppEvent::reason).containsExactly("UnitRewritten", "UnitStarted");
    }

    @Test
    void aFailedPassIsDegradedAndTheNextGoodPassClearsIt() {
        Harness h = harness("degraded");
        rolling(V2, RolloutPhase.STARTING).and(unit(G, 0, State.STOPPED)).and(failing("driver.start web/green/0")).accept(h);
        assertThatThrownBy(h::pass).isInstanceOf(DriverException.class).satisfies(e -> h.reconciler.recordFailure(APP, e));
        assertThat(h.actual().condition(ConditionType.DEGRADED)).extracting(Condition::status, Condition::reason)
                .containsExactly(dev.orch.state.ConditionStatus.TRUE, "ReconcileError");
        assertThat(h.actual().rollout().phase()).isEqualTo(RolloutPhase.STARTING);

        h.driver.failing.clear();
        h.calls.clear();
        assertThat(h.pass()).isEqualTo(Result.NOW);
        assertThat(h.calls.writes()).containsExactly("driver.start web/green/0 @Starting", "route.setIdle web green [127.0.0.1:20002] @Starting");
        assertThat(h.actual().condition(ConditionType.DEGRADED)).extracting(Condition::status, Condition::reason)
                .containsExactly(dev.orch.state.ConditionStatus.FALSE, "ReconcileSucceeded");
        assertThat(h.actual().rollout().phase()).isEqualTo(RolloutPhase.WAITING_READY);
    }

    @Test
    void theArtifactIsCopiedIntoTheStoreAndTheRevisionRunsThatCopy() throws IOException {
        Harness h = harness("artifact");
        Path jar = dir.resolve("web.jar");
        Files.writeString(jar, "release 1");
        String sha = new ArtifactStore(dir.resolve("scratch")).digest(jar);
        Deployment d = version(1, 1, true, 10, false, new Artifact(jar.toString(), null, null, null));
        desired(d, 1).and(route(null)).accept(h);
        assertThat(h.pass()).isEqualTo(Result.NOW);
        String expectedHash = RevisionHash.of(d.spec().template(), sha);
        assertThat(h.plans).extracting(Plan::effect).containsExactly(new Effect.PrepareRevision(B, 1, expectedHash, 1));
        assertThat(h.calls.writes()).isEmpty();
        assertThat(h.store.readRevision(APP, 1)).hasValueSatisfying(r -> assertThat(r.artifactSha256()).isEqualTo(sha));
        assertThat(new ArtifactStore(h.store.artifactsDir()).pathFor(sha, "web.jar")).hasContent("release 1");

        h.pass();
        assertThat(h.calls.writes()).containsExactly("driver.install orch-web-blue-0 @Preparing");
        assertThat(h.driver.units.get(new InstanceId(APP, B, 0)).spec.artifactPath())
                .isEqualTo(new ArtifactStore(h.store.artifactsDir()).pathFor(sha, "web.jar").toString());
    }
}
