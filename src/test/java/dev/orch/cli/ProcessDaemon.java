package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.OrchDist;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The packaged orchd with the process driver and a scratch state dir, for tests of the API, the CLI and the
 * metrics endpoint: apps run as child processes of orchd, so no systemd is needed. Close it to stop orchd
 * (its children end with it).
 */
public final class ProcessDaemon implements AutoCloseable {
    private final Path dir;
    private final OrchDist dist;
    private final Process daemon;
    private final Path log;
    private final int managementPort;
    private final Map<String, String> env;

    private ProcessDaemon(Path dir, Map<String, String> extraEnv, String extraJavaOpts) throws IOException {
        this.dir = dir;
        this.managementPort = FreePort.find();
        Map<String, String> env = new HashMap<>(Map.of(
                "ORCH_STATE_DIR", state().toString(),
                "ORCH_DRIVER", "process",
                "ORCH_JAVA_OPTS", "-Dquarkus.management.port=" + managementPort + " " + extraJavaOpts,
                "ORCH_CLI_JAVA_OPTS", "-Dquarkus.management.port=" + managementPort));
        env.putAll(extraEnv);
        this.env = Map.copyOf(env);
        this.dist = OrchDist.packaged().withEnv(env);
        this.log = dir.resolve("orchd.log");
        this.daemon = dist.startDaemon(log);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(state().resolve("orchd.sock")) || !daemon.isAlive());
        assertThat(daemon.isAlive()).as("orchd running; log:%n%s", Files.readString(log)).isTrue();
    }

    public static ProcessDaemon start(Path dir) throws IOException {
        return new ProcessDaemon(dir, Map.of(), "");
    }

    public static ProcessDaemon start(Path dir, Map<String, String> env, String javaOpts) throws IOException {
        return new ProcessDaemon(dir, env, javaOpts);
    }

    public Path state() {
        return dir.resolve("state");
    }

    public OrchDist dist() {
        return dist;
    }

    /** {@code bin/orchctl args...} as a process the caller manages (for commands that run until stopped). */
    public ProcessBuilder orchctlProcess(String... args) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(dist.home().resolve("bin/orchctl").toString()));
        cmd.addAll(java.util.List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        return pb;
    }

    public Process process() {
        return daemon;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    public OrchDist.Result orchctl(String... args) {
        return dist.orchctl(args);
    }

    /** {@code orchctl args...}, which must exit 0; returns its stdout. */
    public String ok(String... args) {
        OrchDist.Result r = dist.orchctl(args);
        assertThat(r.exitCode()).as("orchctl %s: %s", String.join(" ", args), r).isZero();
        return r.stdout();
    }

    public int managementPort() {
        return managementPort;
    }

    /** The Prometheus exposition from the management listener. */
    public String scrape() throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Override
    public void close() throws InterruptedException {
        daemon.destroy();
        daemon.waitFor();
    }
}
