package dev.orch.reconcile;

import dev.orch.systemd.ActiveState;
import dev.orch.systemd.InstanceId;
import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.SystemdNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark (not a test): N apps (default 1,000) on a real systemd 252 booted in a private namespace, driven by
 * the packaged orchd over D-Bus, routes in orch-router.service. Each app is a sleeping process behind a TCP
 * route. Prints, each with its goal: time until all N are Available (condition True) after {@code orchctl apply -f DIR} of 100 apps at a time; orchd's CPU while they
 * sit unchanged; the reconcile time of one no-change resync of all N (from orchd's metrics); a live unit stopped by hand until it runs again (median of 5); orchd's and orch-router's RSS;
 * {@code orchctl get apps} (median of 5). Run as root after {@code mvn -B -q package -DskipTests}:
 * src/test/bench/scale-bench.sh [N].
 */
public final class ScaleBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        try (SystemdNamespace ns = new SystemdNamespace()) {
            ns.start("scale-bench");
            // production defaults for the loop (the fixture's 3 s resync is for tests)
            try (OrchdOnSystemd orch = new OrchdOnSystemd(ns).withRouterUnit().env("ORCH_RECONCILE_RESYNC", "30s")) {
                orch.start();
                Path dir = Files.createDirectories(orch.dir().resolve("apps"));
                for (int i = 0; i < n; i++) {
                    // 100 apps per directory and per apply: the progress of a large apply shows in steps
                    Path part = Files.createDirectories(dir.resolve("part-" + i / 100));
                    Files.writeString(part.resolve("app-" + i + ".yaml"), """
                            apiVersion: orch.dev/v1
                            kind: Deployment
                            metadata:
                              name: app-%d
                            spec:
                              route:
                                port: %d
                                protocol: tcp
                                bindAddress: 127.0.0.1
                              template:
                                command: ["/bin/sleep"]
                                args: ["infinity"]
                            """.formatted(i, 30000 + i));
                }
                long t0 = System.nanoTime();
                for (int k = 0; k * 100 < n; k++) {
                    // orchctl's own wait, not the fixture's 60 s: under load an apply competes with the reconciles of the last one
                    OrchDist.Result apply = orch.dist().run(List.of(orch.dist().home().resolve("bin/orchctl").toString(), "apply", "-f",
                            dir.resolve("part-" + k).toString()), java.time.Duration.ofMinutes(10));
                    if (apply.exitCode() != 0) {
                        throw new IllegalStateException("apply failed: " + apply);
                    }
                }
                double applied = (System.nanoTime() - t0) / 1e9;
                int available = 0;
                while (available < n) {
                    Thread.sleep(1000);
                    available = countAvailable(orch, n);
                    if ((System.nanoTime() - t0) / 1e9 > 900) {
                        throw new IllegalStateException("only " + available + " of " + n + " Available after 900 s");
                    }
                }
                double allAvailable = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%d apps: apply answered after %.1f s, all Available after %.1f s   (goal <= 60 s for 1,000)%n", n, applied, allAvailable);

                Thread.sleep(10_000); // let the last probes and writes settle
                long pid = orch.pid();
                double[] r0 = reconcileTotals(orch.metrics());
                long cpu0 = cpuTicks(pid);
                long w0 = System.nanoTime();
                Thread.sleep(60_000);
                double cpuPercent = 100.0 * (cpuTicks(pid) - cpu0) / 100.0 / ((System.nanoTime() - w0) / 1e9);
                double[] r1 = reconcileTotals(orch.metrics());
                System.out.printf("orchd CPU while %d apps sit unchanged (60 s): %.2f %% of a core   (goal <= 1 %%)%n", n, cpuPercent);
                // every reconcile of the idle minute is a no-change one (the 30 s periodic resync enqueues all apps)
                double reconciles = r1[0] - r0[0];
                double seconds = r1[1] - r0[1];
                System.out.printf("no-change resync of %d apps through the real driver: %.0f ms of reconcile time per pass "
                        + "(%.0f reconciles, %.2f ms each, summed over the workers)   (goal <= 200 ms for 1,000)%n",
                        n, reconciles == 0 ? Double.NaN : 1000.0 * seconds / reconciles * n, reconciles, reconciles == 0 ? Double.NaN : 1000.0 * seconds / reconciles);

                List<Long> restarts = new ArrayList<>();
                for (int k = 0; k < 5; k++) {
                    String unit = "orch-app-" + (k * 97 % n) + "-blue-0.service";
                    InstanceId id = InstanceId.fromUnitName(unit).orElseThrow();
                    ns.exec("systemctl", "stop", unit);
                    long s0 = System.nanoTime();
                    while (ns.driver().status(id).activeState() != ActiveState.ACTIVE) {
                        Thread.sleep(20);
                        if ((System.nanoTime() - s0) / 1e9 > 60) {
                            throw new IllegalStateException(unit + " not running again after 60 s");
                        }
                    }
                    // systemd's own clock: stopped (inactive entered) -> running again (active entered), free of this poll's lag
                    long inactive = Long.parseLong(orch.unitProperty(unit, "InactiveEnterTimestampMonotonic"));
                    long active = Long.parseLong(orch.unitProperty(unit, "ActiveEnterTimestampMonotonic"));
                    restarts.add((active - inactive) / 1000);
                    Thread.sleep(1000);
                }
                System.out.printf("live unit stopped by hand -> running again: median %d ms of %s   (goal <= 300 ms)%n", median(restarts), restarts);

                long routerPid = Long.parseLong(orch.unitProperty(OrchdOnSystemd.ROUTER_UNIT, "MainPID"));
                System.out.printf("RSS: orchd %d MiB with %d apps, orch-router %d MiB with %d routes   (goal <= 256 MiB / <= 128 MiB for 1,000)%n",
                        rssKib(Path.of("/proc/" + pid + "/status")) / 1024, n, rssKib(ns.path("/proc/" + routerPid + "/status")) / 1024, n);

                List<Long> gets = new ArrayList<>();
                for (int k = 0; k < 5; k++) {
                    long g0 = System.nanoTime();
                    OrchDist.Result get = orch.orchctl("get", "apps");
                    gets.add((System.nanoTime() - g0) / 1_000_000);
                    if (get.exitCode() != 0 || get.stdout().lines().count() != n + 1) {
                        throw new IllegalStateException("get apps: " + get.exitCode() + ", " + get.stdout().lines().count() + " lines");
                    }
                }
                System.out.printf("orchctl get apps with %d apps: median %d ms of %s   (goal <= 500 ms for 1,000)%n", n, median(gets), gets);
                for (int k = 0; k * 100 < n; k++) {
                    orch.orchctl("delete", "-f", dir.resolve("part-" + k).toString());
                }
            }
        }
        System.exit(0);
    }

    /** Apps whose Available condition is True (the route sends traffic to the new color; a drain may follow). */
    private static int countAvailable(OrchdOnSystemd orch, int n) {
        int c = 0;
        for (int i = 0; i < n; i++) {
            com.fasterxml.jackson.databind.JsonNode a = orch.actual("app-" + i);
            if (a != null && a.has("conditions")) {
                for (com.fasterxml.jackson.databind.JsonNode cond : a.get("conditions")) {
                    if (cond.path("type").asText().equals("Available") && cond.path("status").asText().equals("True")) {
                        c++;
                        break;
                    }
                }
            }
        }
        return c;
    }

    /** Count and sum (seconds) of orch_reconcile_duration_seconds over every result. */
    private static double[] reconcileTotals(String metrics) {
        double count = 0;
        double sum = 0;
        for (String l : metrics.lines().toList()) {
            if (l.startsWith("orch_reconcile_duration_seconds_count{")) {
                count += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            } else if (l.startsWith("orch_reconcile_duration_seconds_sum{")) {
                sum += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
            }
        }
        return new double[] {count, sum};
    }

    /** utime + stime of a process, in clock ticks (100 per second on Linux). */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static long rssKib(Path status) throws Exception {
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmRSS:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
    }

    private static long median(List<Long> xs) {
        long[] a = xs.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }
}
