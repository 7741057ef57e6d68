package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The client face in-process: no Quarkus boot, no listening socket, kubectl's exit codes. */
class ClientFaceTest {
    @TempDir
    Path dir;

    @Test
    void clientCommandsNeitherBootQuarkusNorListen() throws Exception {
        Set<String> before = ListeningSockets.ofThisProcess();
        System.setProperty("orch.state-dir", dir.toString());
        try {
            int code = run("get", "apps");
            assertThat(code).isEqualTo(1); // no daemon here
            assertThat(run("version", "--client")).isZero();
        } finally {
            System.clearProperty("orch.state-dir");
        }
        assertThat(io.quarkus.runtime.Application.currentApplication()).as("Quarkus booted").isNull();
        assertThat(ListeningSockets.ofThisProcess()).isEqualTo(before);
        assertThat(threadNames()).noneMatch(n -> n.startsWith("executor-thread"));
    }

    @Test
    void usageErrorsExitTwoAndFailuresExitOne() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(run("get")).isEqualTo(2);
        assertThat(run("get", "pods/web")).isEqualTo(2);
        assertThat(run("get", "pods", "web")).isEqualTo(2);
        assertThat(run("get", "apps", "-l", "a=b=c")).isEqualTo(2);
        assertThat(run("get", "app", "web", "-l", "a=b")).isEqualTo(2);
        assertThat(run("get", "apps", "-o", "wat")).isEqualTo(2);
        assertThat(run()).isEqualTo(2);
        System.setProperty("orch.state-dir", dir.toString());
        try {
            assertThat(run("get", "apps")).isEqualTo(1);
        } finally {
            System.clearProperty("orch.state-dir");
        }
    }

    /** Walks the whole command tree as built, so a command added later is covered without touching this test. */
    @Test
    void everyCommandPrintsItsUsageOnHelpAndExitsZero() {
        List<List<String>> paths = commandPaths();
        assertThat(paths).contains(List.of(), List.of("get"), List.of("rollout", "status"), List.of("help"));
        for (List<String> path : paths) {
            String usage = "Usage: " + String.join(" ", concat(List.of("orchctl"), path));
            for (String flag : List.of("--help", "-h")) {
                Run r = capture(concat(path, List.of(flag)).toArray(String[]::new));
                assertThat(r.code()).as("orchctl %s %s: %s", path, flag, r.out()).isZero();
                assertThat(r.out()).as("orchctl %s %s", path, flag).startsWith(usage + " ").contains("-h, --help");
            }
            Run viaHelp = capture(concat(List.of("help"), path).toArray(String[]::new));
            assertThat(viaHelp.code()).as("orchctl help %s: %s", path, viaHelp.out()).isZero();
            assertThat(viaHelp.out()).as("orchctl help %s", path).startsWith(usage + " ");
        }
    }

    /** Every command's path in the tree, the root's ({@code []}) first. */
    static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        collect(Cli.commandLine(), new ArrayList<>(), paths);
        return paths;
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> into) {
        into.add(List.copyOf(path));
        for (var e : cl.getSubcommands().entrySet()) {
            if (e.getKey().equals(e.getValue().getCommandName())) { // aliases name the same command again
                path.add(e.getKey());
                collect(e.getValue(), path, into);
                path.removeLast();
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> r = new ArrayList<>(a);
        r.addAll(b);
        return r;
    }

    record Run(int code, String out) {}

    /** Usage goes to the command line's own writers, which is all this captures. */
    private static Run capture(String... args) {
        java.io.StringWriter sink = new java.io.StringWriter();
        CommandLine cl = Cli.commandLine();
        cl.setOut(new PrintWriter(sink, true));
        cl.setErr(new PrintWriter(sink, true));
        int code = cl.execute(args);
        return new Run(code, sink.toString());
    }

    private static Set<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).collect(Collectors.toSet());
    }

    private static int run(String... args) {
        CommandLine cl = Cli.commandLine();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        cl.setOut(new PrintWriter(sink, true));
        cl.setErr(new PrintWriter(sink, true));
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(sink));
        System.setErr(new PrintStream(sink));
        try {
            return cl.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Listening TCP/unix sockets owned by this process, from /proc (socket inodes of our fds). */
    static final class ListeningSockets {
        static Set<String> ofThisProcess() throws Exception {
            Set<String> inodes;
            try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                inodes = fds.map(p -> {
                            try {
                                return Files.readSymbolicLink(p).toString();
                            } catch (Exception e) {
                                return "";
                            }
                        })
                        .filter(t -> t.startsWith("socket:["))
                        .map(t -> t.substring(8, t.length() - 1))
                        .collect(Collectors.toSet());
            }
            Set<String> listening = new java.util.TreeSet<>();
            for (String table : new String[] {"/proc/self/net/tcp", "/proc/self/net/tcp6"}) {
                var lines = Files.readAllLines(Path.of(table));
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    if (f[3].equals("0A") && inodes.contains(f[9])) { // 0A = LISTEN
                        listening.add(table + " " + f[1]);
                    }
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/self/net/unix"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 6 && f[3].equals("00010000") && inodes.contains(f[6])) { // __SO_ACCEPTCON
                    listening.add("unix " + (f.length > 7 ? f[7] : ""));
                }
            }
            return listening;
        }
    }
}
