package dev.orch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The packaged orchd as a real process, driving the namespaced systemd of a {@link SystemdNamespace}: state
 * under /var/lib (services run with PrivateTmp and ProtectHome, so neither /tmp nor a home directory would
 * be visible to them), a private API socket, a free management port. Killable with SIGKILL and restartable
 * on the same state.
 *
 * <p>The apps' routes live inside this orchd (they close when it is killed), unless {@link #withRouterUnit()}
 * puts them in orch-router.service on the same systemd, as the shipped units do.
 */
public final class OrchdOnSystemd implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String ROUTER_UNIT = "orch-router.service";

    private final SystemdNamespace systemd;
    private final Path dir;
    private final OrchDist dist;
    private final Map<String, String> extraEnv = new HashMap<>();
    private Process daemon;
    private int starts;
    private int managementPort;
    private boolean routerUnit;
    private boolean routerInstalled;
    private final Map<String, String> routerEnv = new java.util.TreeMap<>();

    public OrchdOnSystemd(SystemdNamespace systemd) {
        this.systemd = systemd;
        try {
            Path parent = Files.createDirectories(Path.of("/var/lib/orch-it"));
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
            dir = Files.createDirectory(parent.resolve(UUID.randomUUID().toString().substring(0, 8)));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dist = OrchDist.packaged().withEnv(Map.of("ORCH_STATE_DIR", stateDir().toString()));
    }

    /** Extra environment for the next daemon start (e.g. {@code ORCH_TEST_PAUSE_AFTER}). */
    public OrchdOnSystemd env(String key, String value) {
        if (value == null) {
            extraEnv.remove(key);
        } else {
            extraEnv.put(key, value);
        }
        return this;
    }

    /**
     * Routes in {@code orch-router.service} on the namespace's systemd ({@code orch.route.mode=unit}), as
     * systemd/install sets them up: the packaged unit file plus a drop-in for this fixture's paths and ports. The
     * routes then keep serving while orchd is killed or stopped. Call before the first {@link #start()}; the
     * unit is installed and started by it, and stopped and removed by {@link #close()}. One per namespace.
     */
    public OrchdOnSystemd withRouterUnit() {
        routerUnit = true;
        return this;
    }

    /** Extra environment of orch-router.service (e.g. {@code ORCH_ROUTE_HTTP_PORT}); call before the first start. */
    public OrchdOnSystemd routerEnv(String key, String value) {
        routerEnv.put(key, value);
        return this;
    }

    public Path dir() {
        return dir;
    }

    public Path stateDir() {
        return dir.resolve("state");
    }

    public OrchDist dist() {
        return dist;
    }

    public synchronized void start() {
        Map<String, String> env = new HashMap<>(Map.of(
                "ORCH_DRIVER", "systemd",
                "ORCH_SYSTEMD_ROOT", "/proc/" + systemd.pid() + "/root",
                "ORCH_SYSTEMD_UNIT_DIR", "/run/systemd/system",
                "ORCH_SYSTEMD_ENV_DIR", "/run/orch/env",
                "ORCH_SYSTEMD_COMMAND_PREFIX", "nsenter,-t," + systemd.pid() + ",-m,-p",
                "ORCH_SYSTEMD_BUS_SOCKET", systemd.privateSocket().toString(),
                "ORCH_RECONCILE_RESYNC", "3s",
                "ORCH_JAVA_OPTS", "-Dquarkus.management.port=" + (managementPort = freePort())));
        if (routerUnit) {
            env.put("ORCH_ROUTE_MODE", "unit"); // orch.route.socket defaults to <state dir>/router.sock, the router's too
        }
        env.putAll(extraEnv);
        try {
            if (routerUnit && !routerInstalled) {
                installRouter();
            }
            // a killed daemon leaves its socket behind; wait for the new one, not the stale file
            Files.deleteIfExists(stateDir().resolve("orchd.sock"));
            Path log = dir.resolve("orchd-" + (++starts) + ".log");
            daemon = dist.withEnv(env).startDaemon(log);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!Files.exists(stateDir().resolve("orchd.sock"))) {
                if (!daemon.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("orchd did not start:\n" + Files.readString(log));
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The shipped orch-router.service run from {@code home} on {@code state}, as the tests install it. */
    public static void writeRouterDropIn(Path unitDir, Path home, Path state, Path readWrite) throws IOException {
        writeRouterDropIn(unitDir, home, state, readWrite, Map.of());
    }

    /** The same with extra environment for the router. */
    public static void writeRouterDropIn(Path unitDir, Path home, Path state, Path readWrite, Map<String, String> env) throws IOException {
        StringBuilder extra = new StringBuilder();
        env.forEach((k, v) -> extra.append("Environment=").append(k).append('=').append(v).append('\n'));
        Path dropIn = Files.createDirectories(unitDir.resolve(ROUTER_UNIT + ".d"));
        Files.writeString(dropIn.resolve("50-test.conf"), """
                [Service]
                ExecStart=
                ExecStart=%s/bin/orchd --router
                Environment=ORCH_STATE_DIR=%s ORCH_ROUTE_METRICS_PORT=%d
                StateDirectory=
                ConfigurationDirectory=
                ReadWritePaths=%s
                %s""".formatted(home, state, freePort(), readWrite, extra));
    }

    private void installRouter() throws IOException {
        Files.createDirectories(stateDir()); // ReadWritePaths= of the unit must exist
        Path unitDir = systemd.path("/run/systemd/system");
        Files.copy(dist.home().resolve("systemd/" + ROUTER_UNIT), unitDir.resolve(ROUTER_UNIT), StandardCopyOption.REPLACE_EXISTING);
        writeRouterDropIn(unitDir, dist.home(), stateDir(), dir, routerEnv);
        systemd.exec("systemctl", "daemon-reload");
        routerInstalled = true;
        var started = systemd.exec("systemctl", "start", ROUTER_UNIT); // Type=notify: returns once its socket listens
        if (started.exitCode() != 0) {
            throw new AssertionError(ROUTER_UNIT + " did not start: " + started + "\n" + routerLogs());
        }
    }

    /** orch-router.service's journal (empty without {@link #withRouterUnit()}). */
    public String routerLogs() {
        return routerUnit ? systemd.exec("journalctl", "--no-pager", "-o", "short-monotonic", "-u", ROUTER_UNIT, "-n", "200").stdout() : "";
    }

    /** Prometheus exposition of the running daemon (its management listener). */
    public String metrics() throws IOException, InterruptedException {
        var http = java.net.http.HttpClient.newHttpClient();
        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + managementPort + "/q/metrics")).build();
        return http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    /** kill -9: no shutdown hook, no cleanup, exactly like a crash. */
    public synchronized void kill() throws InterruptedException {
        if (daemon != null) {
            daemon.destroyForcibly();
            daemon.waitFor();
            daemon = null;
        }
    }

    public synchronized void stop() throws InterruptedException {
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor();
            daemon = null;
        }
    }

    /** PID of the running daemon's JVM (bin/orchd execs it), or 0 when none runs. */
    public synchronized long pid() {
        return daemon == null ? 0 : daemon.pid();
    }

    public OrchDist.Result orchctl(String... args) {
        return dist.orchctl(args);
    }

    /** {@code apps/<app>/actual.json}, or null when absent. */
    public JsonNode actual(String app) {
        Path f = stateDir().resolve("apps").resolve(app).resolve("actual.json");
        try {
            return Files.exists(f) ? JSON.readTree(f.toFile()) : null;
        } catch (IOException e) {
            return null; // mid-rename: the caller polls again
        }
    }

    public String phase(String app) {
        JsonNode a = actual(app);
        return a == null || a.get("rollout") == null || a.get("rollout").isNull() ? "" : a.get("rollout").get("phase").asText();
    }

    /** A unit property as systemctl shows it inside the namespace. */
    public String unitProperty(String unit, String property) {
        return systemd.exec("systemctl", "show", "-p", property, "--value", unit).stdout().strip();
    }

    public String logs() {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            try {
                sb.append("--- orchd-").append(i).append(".log\n").append(Files.readString(dir.resolve("orchd-" + i + ".log")));
            } catch (IOException e) {
                sb.append(e).append('\n');
            }
        }
        return sb.toString();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        kill();
        if (routerInstalled) {
            routerInstalled = false;
            systemd.exec("systemctl", "stop", ROUTER_UNIT);
            Path unitDir = systemd.path("/run/systemd/system");
            Files.deleteIfExists(unitDir.resolve(ROUTER_UNIT + ".d/50-test.conf"));
            Files.deleteIfExists(unitDir.resolve(ROUTER_UNIT + ".d"));
            Files.deleteIfExists(unitDir.resolve(ROUTER_UNIT));
            systemd.exec("systemctl", "daemon-reload");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
