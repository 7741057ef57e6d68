package dev.orch.systemd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command from an argv list (never through a shell) and collects its output. */
public final class CommandRunner {
    public record Result(List<String> argv, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        public String describe() {
            return String.join(" ", argv) + " exited " + exitCode + (stderr.isBlank() ? "" : ": " + stderr.strip());
        }
    }

    private CommandRunner() {}

    public static Result run(List<String> argv, Duration timeout) {
        return run(argv, timeout, Map.of());
    }

    public static Result run(List<String> argv, Duration timeout, Map<String, String> extraEnv) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(extraEnv);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new DriverException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new DriverException(String.join(" ", argv) + " did not finish within " + timeout);
            }
            return new Result(List.copyOf(argv), p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DriverException("interrupted while running " + String.join(" ", argv), e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        // a thread per stream (not the common pool, which may have a single thread) so neither pipe can fill up
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.complete("");
            }
        });
        return f;
    }
}
