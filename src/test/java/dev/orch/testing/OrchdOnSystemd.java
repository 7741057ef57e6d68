package dev.orch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
 */
public final class OrchdOnSystemd implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SystemdNamespace systemd;
    private final Path dir;
    private final OrchDist dist;
    private final Map<String, String> extraEnv = new HashMap<>();
    private Process daemon;
    private int starts;
    private int managementPort;

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
                "ORCH_RECONCILE_RESYNC", "3s",
                "ORCH_JAVA_OPTS", "-Dquarkus.management.port=" + (managementPort = freePort())));
        env.putAll(extraEnv);
        try {
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
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
