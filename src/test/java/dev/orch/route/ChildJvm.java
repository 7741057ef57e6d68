package dev.orch.route;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A separate JVM running a main class of the test classpath; waits for its READY line. */
final class ChildJvm implements AutoCloseable {
    private final Process process;
    final String readyLine;

    private ChildJvm(Process process, String readyLine) {
        this.process = process;
        this.readyLine = readyLine;
    }

    static ChildJvm start(Path logDir, List<String> jvmArgs, Class<?> main, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Path err = logDir.resolve(main.getSimpleName() + "-" + String.join("-", args).replaceAll("[^a-zA-Z0-9-]", "_") + ".err");
        Path out = err.resolveSibling(err.getFileName().toString().replace(".err", ".out"));
        // Both streams go to files: a child must never block on a pipe nobody reads.
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectOutput(out.toFile()).start();
        String line = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (line == null && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            line = Files.readAllLines(out).stream().filter(l -> l.startsWith("READY")).findFirst().orElse(null);
        }
        if (line == null) {
            p.destroyForcibly();
            throw new IllegalStateException(main.getSimpleName() + " did not start; stderr in " + err);
        }
        return new ChildJvm(p, line);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
