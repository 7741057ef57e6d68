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
import dev.orch.state.ActualState;
import dev.orch.state.ArtifactStore;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.Revision;
import dev.orch.state.Rollout;
import dev.orch.state.RolloutPhase;
import dev.orch.state.Source;
import dev.orch.state.StateStore;
import dev.orch.systemd.InstanceId;
import dev.orch.systemd.ProcessDriver;
import dev.orch.systemd.ProcessDriverConfig;
import dev.orch.systemd.ServiceDriver;
import dev.orch.systemd.ServiceSpec;
import dev.orch.testing.SystemdNamespace;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark (not a test): a no-change resync of N apps (default 1,000) through the real observer: for each
 * app, observe (desired, actual and revision files from a real state directory, unit statuses, unit-file
 * comparison, route) and plan, as the control loop does on its periodic resync. The apps run for real: one
 * sleeping process per app, under the process driver or as units of a real systemd booted in a private
 * namespace (second argument {@code systemd}, as root), whose change stream feeds the status cache. Two
 * figures from the same run: with the cache (how orchd observes), and with every status asked of the driver
 * again (the cache emptied before each pass: what the observer did before it had one, one {@code systemctl
 * show} per replica under systemd). The router is an in-memory stand-in.
 * Run: src/test/bench/resync-bench.sh [N] [process|systemd].
 */
public final class ResyncBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        boolean systemd = args.length > 1 && args[1].equals("systemd");
        Path dir = Files.createTempDirectory(Path.of(systemd ? "/var/tmp" : System.getProperty("java.io.tmpdir")), "orch-resync-bench");
        SystemdNamespace ns = null;
        StateStore store = new StateStore(dir);
        Instant now = Instant.now();
        List<String> apps = new ArrayList<>();
        List<InstanceId> ids = new ArrayList<>();
        ServiceDriver driver;
        if (systemd) {
            ns = new SystemdNamespace();
            ns.start("resync-bench");
            driver = ns.driver();
        } else {
            driver = new ProcessDriver(ProcessDriverConfig.defaults(dir.resolve("process")));
        }
        List<ServiceSpec> all = new ArrayList<>();
        ArtifactStore artifacts = new ArtifactStore(store.artifactsDir());
        for (int i = 0; i < n; i++) {
            String app = "app-" + i;
            apps.add(app);
            Deployment d = sleeper(app, 30000 + i);
            store.updateDesired(d, Source.APPLY);
            String hash = RevisionHash.of(d.spec().template(), null);
            Revision rev = new Revision(1, hash, d, Source.APPLY, now);
            store.putRevision(app, rev);
            ColorState blue = new ColorState(1, hash, List.of(20000 + i), List.of("orch-" + app + "-blue-0.service"), now);
            store.writeActual(app, ActualState.EMPTY.withColor(Color.BLUE, blue).withLive(Color.BLUE)
                    .withRollout(new Rollout(RolloutPhase.COMPLETE, 1, hash, Color.BLUE, now, null, false))
                    .withObservedGeneration(1));
            all.addAll(ColorServices.specs(app, Color.BLUE, blue, rev, artifacts));
        }
        driver.install(all); // one daemon-reload for all
        for (ServiceSpec sp : all) {
            driver.start(sp.id());
            ids.add(sp.id());
        }
        Vertx vertx = Vertx.vertx();
        Wiring w = Wiring.of(store, driver, new StandIns.LiveRouter(), new ProbeWorker(vertx), new PortAllocator(20000, 29999, p -> true), a -> { });
        w.statuses().start(ev -> { }, Duration.ofSeconds(1));
        Reconciler r = w.reconciler();
        for (int warm = 0; warm < 3; warm++) {
            for (String app : apps) {
                r.reconcile(app); // the first opens the (stand-in) routes, as after a daemon start; all warm the JIT
            }
        }
        long[] cached = passes(r, apps, () -> { });
        long[] uncached = passes(r, apps, () -> ids.forEach(w.statuses()::invalidate));
        System.out.printf("%s driver, no-change resync of %d running apps (observe + plan), status cache:       %s%n", driver.kind(), n, summary(cached));
        System.out.printf("%s driver, no-change resync of %d running apps (observe + plan), driver per replica: %s%n", driver.kind(), n, summary(uncached));
        System.out.printf("ratio (driver per replica / cache), medians: %.2f%n", median(uncached) / median(cached));
        w.statuses().close();
        driver.remove(ids);
        driver.close();
        if (ns != null) {
            ns.close();
        }
        vertx.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Seven timed passes over every app; {@code beforeEach} runs untimed before each pass. */
    private static long[] passes(Reconciler r, List<String> apps, Runnable beforeEach) {
        long[] runs = new long[7];
        for (int k = 0; k < runs.length; k++) {
            beforeEach.run();
            long t0 = System.nanoTime();
            for (String app : apps) {
                Result again = r.reconcile(app);
                if (!(again instanceof Result.Done)) {
                    throw new IllegalStateException(app + " is not converged: " + again);
                }
            }
            runs[k] = System.nanoTime() - t0;
        }
        return runs;
    }

    private static double median(long[] runs) {
        long[] sorted = runs.clone();
        Arrays.sort(sorted);
        return sorted[runs.length / 2] / 1e6;
    }

    private static String summary(long[] runs) {
        long[] sorted = runs.clone();
        Arrays.sort(sorted);
        return String.format("median %.1f ms, min %.1f ms, runs %s ms", median(runs), sorted[0] / 1e6,
                Arrays.stream(runs).mapToObj(x -> String.format("%.0f", x / 1e6)).toList());
    }

    /** An app whose process sleeps (it never listens; the bench has no probes and a stand-in route). */
    static Deployment sleeper(String app, int port) {
        Template t = new Template(List.of("/bin/sleep"), List.of("infinity"), List.of(), null, null, "PORT",
                null, null, null, Resources.NONE, Hardening.DEFAULTS, 30);
        return new Deployment(Deployment.API_VERSION, Deployment.KIND, new ObjectMeta(app, null, null),
                new DeploymentSpec(1, new RouteSpec(port, Protocol.HTTP, "127.0.0.1", null, 30), t, Strategy.DEFAULT, 600, 10));
    }

    public static Deployment deployment(String app, int port) {
        Template t = new Template(List.of("/usr/bin/python3"), List.of("-m", "http.server", "$(PORT)"), List.of(), null, null, "PORT",
                null, null, null, Resources.NONE, Hardening.DEFAULTS, 30);
        return new Deployment(Deployment.API_VERSION, Deployment.KIND, new ObjectMeta(app, null, null),
                new DeploymentSpec(1, new RouteSpec(port, Protocol.HTTP, "127.0.0.1", null, 30), t, Strategy.DEFAULT, 600, 10));
    }
}
