package dev.orch.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.OrchDist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One host of a test fleet: a network namespace the test creates ({@code ip netns}), joined to the host namespace by a
 * veth pair ({@code 10.213.<n>.1} outside, {@code .2} inside), running the packaged orchd with the process driver
 * and its own state dir. Its API listens on {@code .2:7464} (bearer token), its metrics on {@code .2:9464}.
 */
final class NetnsHost implements AutoCloseable {
    final String name;
    final String netns;
    final int index;
    final Path dir;
    private Process daemon;

    NetnsHost(String name, String prefix, int index, Path dir) throws IOException {
        this.name = name;
        this.netns = prefix + "-" + index;
        this.index = index;
        this.dir = dir;
        Files.createDirectories(dir);
        String outside = prefix + "o" + index;
        String inside = prefix + "i" + index;
        sh("ip", "netns", "add", netns);
        sh("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
        sh("ip", "link", "set", inside, "netns", netns);
        sh("ip", "addr", "add", hostSide() + "/24", "dev", outside);
        sh("ip", "link", "set", outside, "up");
        sh("ip", "netns", "exec", netns, "ip", "addr", "add", address() + "/24", "dev", inside);
        sh("ip", "netns", "exec", netns, "ip", "link", "set", inside, "up");
        sh("ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up");
    }

    /** The host namespace's end of the veth (where the git daemon listens for this host). */
    String hostSide() {
        return "10.213." + index + ".1";
    }

    String address() {
        return "10.213." + index + ".2";
    }

    Path state() {
        return dir.resolve("state");
    }

    Path tokenFile() {
        return state().resolve("api-token");
    }

    /** Starts orchd in the namespace with these labels, syncing {@code gitUrl}. */
    void start(String labels, String gitUrl) throws IOException {
        OrchDist dist = OrchDist.packaged();
        Map<String, String> env = new HashMap<>(Map.of(
                "ORCH_STATE_DIR", state().toString(),
                "ORCH_DRIVER", "process",
                "ORCH_JAVA_OPTS", String.join(" ", "-Dorch.host.name=" + name, "-Dorch.host.labels=" + labels,
                        "-Dorch.api.tcp.enabled=true", "-Dorch.api.tcp.host=" + address(), "-Dquarkus.management.host=" + address(),
                        "-Dorch.git.repos.fleet.url=" + gitUrl, "-Dorch.git.repos.fleet.poll=2s",
                        "-XX:TieredStopAtLevel=1")));
        ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", netns, dist.home().resolve("bin/orchd").toString());
        pb.environment().putAll(env);
        Path log = dir.resolve("orchd.log");
        daemon = pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        await().atMost(Duration.ofSeconds(90)).until(() -> (Files.exists(state().resolve("orchd.sock")) && Files.exists(tokenFile())) || !daemon.isAlive());
        assertThat(daemon.isAlive()).as("orchd %s running; log:%n%s", name, Files.readString(log)).isTrue();
    }

    void stop() throws InterruptedException, IOException {
        if (daemon != null) {
            daemon.destroy();
            assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
            daemon = null;
            // the process driver's apps end with orchd; the socket file stays behind
            Files.deleteIfExists(state().resolve("orchd.sock"));
        }
    }

    String log() throws IOException {
        return Files.readString(dir.resolve("orchd.log"));
    }

    /**
     * The app processes in the namespace: app name to the PIDs whose environment has {@code ORCH_APP=<app>}, with
     * the environment of one of them.
     */
    Map<String, List<Long>> appPids() throws IOException {
        Map<String, List<Long>> out = new TreeMap<>();
        for (long pid : pids()) {
            String app = environ(pid).get("ORCH_APP");
            if (app != null) {
                out.computeIfAbsent(app, a -> new ArrayList<>()).add(pid);
            }
        }
        out.values().forEach(l -> l.sort(null));
        return out;
    }

    List<Long> pids() {
        String out = sh("ip", "netns", "pids", netns);
        List<Long> pids = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (!l.isBlank()) {
                pids.add(Long.parseLong(l.strip()));
            }
        }
        return pids;
    }

    static Map<String, String> environ(long pid) {
        Map<String, String> env = new HashMap<>();
        try {
            for (String kv : Files.readString(Path.of("/proc/" + pid + "/environ")).split("\u0000")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            // the process ended meanwhile
        }
        return env;
    }

    @Override
    public void close() throws Exception {
        try {
            stop();
        } finally {
            for (long pid : pids()) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            sh("ip", "netns", "delete", netns); // takes the veth pair with it
        }
    }

    static String sh(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
