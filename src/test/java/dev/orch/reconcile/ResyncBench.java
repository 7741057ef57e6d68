package dev.orch.reconcile;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.DeploymentSpec;
import dev.orch.manifest.Hardening;
import dev.orch.manifest.ObjectMeta;
import dev.orch.manifest.Protocol;
import dev.orch.manifest.Resources;
import dev.orch.manifest.RouteSpec;
import dev.orch.manifest.Strategy;
import dev.orch.manifest.Template;
import dev.orch.probe.ProbeWorker;
import dev.orch.route.Backend;
import dev.orch.route.RouteHandle;
import dev.orch.route.Router;
import dev.orch.state.ActualState;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.Revision;
import dev.orch.state.Rollout;
import dev.orch.state.RolloutPhase;
import dev.orch.state.Source;
import dev.orch.state.StateStore;
import dev.orch.systemd.ActiveState;
import dev.orch.systemd.InstallResult;
import dev.orch.systemd.InstalledInstance;
import dev.orch.systemd.InstanceId;
import dev.orch.systemd.InstanceStatus;
import dev.orch.systemd.ServiceDriver;
import dev.orch.systemd.ServiceSpec;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Benchmark (not a test): a no-change resync of N apps (default 1,000): for each app, observe (desired,
 * actual and revision files from a real state directory, service status, route) and plan, as the control
 * loop does on its periodic resync. The service driver and router are in-memory stand-ins that answer
 * "running, current, live" at once, so the figure is orch's own cost; see docs/benchmarks.md for what a
 * real systemd adds. Run: src/test/bench/resync-bench.sh [N].
 */
public final class ResyncBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Path dir = Files.createTempDirectory("orch-resync-bench");
        StateStore store = new StateStore(dir);
        Instant now = Instant.now();
        List<String> apps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String app = "app-" + i;
            apps.add(app);
            Deployment d = deployment(app, 30000 + i);
            store.updateDesired(d, Source.APPLY);
            String hash = RevisionHash.of(d.spec().template(), null);
            store.putRevision(app, new Revision(1, hash, d, Source.APPLY, now));
            store.writeActual(app, ActualState.EMPTY
                    .withColor(Color.BLUE, new ColorState(1, hash, List.of(20000 + i), List.of("orch-" + app + "-blue-0.service"), now))
                    .withLive(Color.BLUE)
                    .withRollout(new Rollout(RolloutPhase.COMPLETE, 1, hash, Color.BLUE, now, null, false))
                    .withObservedGeneration(1));
        }
        Vertx vertx = Vertx.vertx();
        Reconciler r = Wiring.of(store, new StandIns.AlwaysRunning(), new StandIns.LiveRouter(), new ProbeWorker(vertx),
                new PortAllocator(20000, 29999, p -> true), a -> { }).reconciler();
        for (String app : apps) {
            r.reconcile(app); // opens the (stand-in) routes: the first pass after a daemon start
        }
        long[] runs = new long[7];
        for (int k = 0; k < runs.length; k++) {
            long t0 = System.nanoTime();
            for (String app : apps) {
                Result again = r.reconcile(app);
                if (!(again instanceof Result.Done)) {
                    throw new IllegalStateException(app + " is not converged: " + again);
                }
            }
            runs[k] = System.nanoTime() - t0;
        }
        long[] sorted = runs.clone();
        Arrays.sort(sorted);
        System.out.printf("no-change resync of %d apps (observe + plan): median %.1f ms, min %.1f ms, runs %s ms%n", n,
                sorted[runs.length / 2] / 1e6, sorted[0] / 1e6,
                Arrays.stream(runs).mapToObj(x -> String.format("%.0f", x / 1e6)).toList());
        vertx.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static Deployment deployment(String app, int port) {
        Template t = new Template(List.of("/usr/bin/python3"), List.of("-m", "http.server", "$(PORT)"), List.of(), null, null, "PORT",
                null, null, null, Resources.NONE, Hardening.DEFAULTS, 30);
        return new Deployment(Deployment.API_VERSION, Deployment.KIND, new ObjectMeta(app, null, null),
                new DeploymentSpec(1, new RouteSpec(port, Protocol.HTTP, "127.0.0.1", null, 30), t, Strategy.DEFAULT, 600, 10));
    }
}
