package dev.orch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code target/orch/} as a user runs it: real launchers, real processes. Integration tests
 * get it from the {@code orch.dist} system property Failsafe sets.
 */
public final class OrchDist {
    private final Path home;
    private final Map<String, String> env;

    private OrchDist(Path home, Map<String, String> env) {
        this.home = home;
        this.env = env;
    }

    public static OrchDist packaged() {
        String dir = System.getProperty("orch.dist", "target/orch");
        Path home = Path.of(dir).toAbsolutePath();
        if (!Files.isExecutable(home.resolve("bin/orchctl"))) {
            throw new IllegalStateException("no packaged orch at " + home + ": run mvn package first");
        }
        return new OrchDist(home, Map.of());
    }

    /** A copy whose processes see these extra environment variables. */
    public OrchDist withEnv(Map<String, String> extra) {
        var merged = new java.util.HashMap<>(env);
        merged.putAll(extra);
        return new OrchDist(home, Map.copyOf(merged));
    }

    public Path home() {
        return home;
    }

    public record Result(int exitCode, String stdout, String stderr) {}

    /** Runs {@code bin/orchctl args...} to completion. */
    public Result orchctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/orchctl").toString()));
        cmd.addAll(List.of(args));
        return run(cmd, Duration.ofSeconds(60));
    }

    /** {@code bin/orchctl args...} as a process the caller manages (commands that run until stopped, e.g. {@code -f}). */
    public ProcessBuilder orchctlProcess(String... args) {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/orchctl").toString()));
        cmd.addAll(List.of(args));
        return builder(cmd);
    }

    public Result run(List<String> cmd, Duration timeout) {
        try {
            Path out = Files.createTempFile("orch-out", ".txt");
            Path err = Files.createTempFile("orch-err", ".txt");
            try {
                Process p = builder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("timed out after " + timeout + ": " + cmd);
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Starts {@code bin/orchd args...}; output goes to {@code log}. */
    public Process startDaemon(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/orchd").toString()));
        cmd.addAll(List.of(args));
        return builder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private ProcessBuilder builder(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        return pb;
    }
}
