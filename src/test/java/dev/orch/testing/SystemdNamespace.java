package dev.orch.testing;

import dev.orch.systemd.CommandRunner;
import dev.orch.systemd.Scope;
import dev.orch.systemd.SystemdConfig;
import dev.orch.systemd.SystemdDriver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * A real systemd (PID 1 of a private PID and mount namespace) for integration tests; see DESIGN.md "Testing
 * against real systemd" and docs/systemd.md. Use one per test class:
 *
 * <pre>{@code @RegisterExtension static final SystemdNamespace SYSTEMD = new SystemdNamespace();}</pre>
 *
 * <p>Safety: the namespace shares the host's file system (only {@code /run} and {@code /var/lib/private} are
 * private tmpfs), so every unit that would touch the host at boot is masked first ({@link #masks()}), the boot
 * script refuses to exec systemd unless every mask is in place, and a canary file in {@code /tmp} is checked
 * after boot and at teardown. The namespace is SIGKILLed at teardown, by a shutdown hook, and, if the JVM is
 * killed, by the kernel: {@code setpriv --pdeathsig KILL unshare --kill-child} is spawned from a thread that
 * lives as long as the JVM, so the JVM's death kills unshare and unshare's death kills PID 1 of the namespace.
 *
 * <p>When it cannot boot: with {@code CI=true} the test class fails; elsewhere it is skipped with the reason.
 */
public final class SystemdNamespace implements BeforeAllCallback, AfterAllCallback, TestExecutionExceptionHandler, AutoCloseable {
    static final String TARGET = "orch-test.target";
    static final List<String> TARGETS = List.of("sysinit", "basic", "sockets", "timers", "paths", "local-fs",
            "local-fs-pre", "remote-fs", "swap", "cryptsetup", "getty", "multi-user");
    /** Needed by journalctl; everything else pulled in at boot is masked. */
    static final Set<String> KEEP = Set.of("systemd-journald.service", "systemd-journald.socket", "systemd-journald-dev-log.socket");
    /** Masked by name whatever the wants directories say: these damage or reconfigure the host. */
    static final List<String> ALWAYS_MASK = List.of("systemd-tmpfiles-setup.service", "systemd-tmpfiles-setup-dev.service",
            "systemd-tmpfiles-clean.timer", "systemd-udevd.service", "systemd-udev-trigger.service", "systemd-sysctl.service",
            "systemd-timesyncd.service", "systemd-random-seed.service");
    private static final List<Path> UNIT_DIRS = List.of(Path.of("/lib/systemd/system"), Path.of("/etc/systemd/system"));
    private static final Set<SystemdNamespace> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile ExecutorService launcher;

    private Process unshare;
    private long pid;
    private Path canary;
    private Path workDir;
    private SystemdDriver driver;
    private SystemdDriver systemctlDriver;

    /** The boot unit masks: every unit wanted by the boot targets, minus journald, plus {@link #ALWAYS_MASK}. */
    public static List<String> masks() {
        Set<String> out = new TreeSet<>();
        for (String t : TARGETS) {
            for (Path base : UNIT_DIRS) {
                Path wants = base.resolve(t + ".target.wants");
                if (!Files.isDirectory(wants)) {
                    continue;
                }
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(wants)) {
                    for (Path p : ds) {
                        out.add(p.getFileName().toString());
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read " + wants, e);
                }
            }
        }
        out.removeAll(KEEP);
        out.addAll(ALWAYS_MASK);
        verifyMasks(out);
        return List.copyOf(out);
    }

    /** Refuses a mask list that would let a host-damaging unit start (a regression guard, checked before boot). */
    static void verifyMasks(Set<String> masks) {
        for (String m : ALWAYS_MASK) {
            if (!masks.contains(m)) {
                throw new IllegalStateException("refusing to boot systemd: " + m + " is not masked");
            }
        }
        for (String k : KEEP) {
            if (masks.contains(k)) {
                throw new IllegalStateException(k + " must not be masked: journalctl needs it");
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start(context.getRequiredTestClass().getSimpleName());
    }

    /** Boots the namespace; on failure fails (CI) or aborts (skips) the caller. */
    public void start(String label) {
        try {
            boot(label);
        } catch (CanaryLost e) {
            throw e;
        } catch (Exception | AssertionError e) {
            close();
            String why = "cannot boot systemd in a private namespace (needs root, unshare, nsenter, setpriv and "
                    + "/lib/systemd/systemd): " + e.getMessage();
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why, e);
            }
            throw new TestAbortedException("skipped: " + why + " (set CI=true to make this a failure)");
        }
    }

    private void boot(String label) throws Exception {
        List<String> masks = masks();
        workDir = Path.of("target", "systemd-ns", label + "-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(workDir);
        canary = Path.of("/tmp", "orch-systemd-canary-" + UUID.randomUUID());
        Files.writeString(canary, "if this file disappears, a namespaced systemd wiped /tmp\n");
        Path script = workDir.resolve("boot.sh");
        Files.writeString(script, BOOT_SCRIPT);

        List<String> argv = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL", "--",
                "unshare", "--pid", "--fork", "--kill-child=SIGKILL", "--mount", "--propagation", "private", "--mount-proc",
                "/bin/sh", script.toString(), TARGET));
        argv.addAll(masks); // arguments, not script text: unit names may contain backslashes
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("boot.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        // spawned from a thread that lives as long as the JVM: PR_SET_PDEATHSIG fires when the spawning thread ends
        Future<Process> f = launcher().submit(pb::start);
        unshare = f.get();
        LIVE.add(this);

        Instant deadline = Instant.now().plusSeconds(30);
        while (pid == 0) {
            pid = unshare.children().findFirst().map(ProcessHandle::pid).orElse(0L);
            if (pid == 0) {
                if (!unshare.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("namespace did not start: " + bootLog());
                }
                Thread.sleep(20);
            }
        }
        String state = "";
        while (true) {
            if (!unshare.isAlive()) {
                throw new IllegalStateException("systemd exited during boot: " + bootLog());
            }
            CommandRunner.Result r = CommandRunner.run(nsenter("systemctl", "is-system-running"), Duration.ofSeconds(10));
            state = r.stdout().strip();
            if (state.equals("running") || state.equals("degraded")) {
                break;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("systemd is not running after 30 s (state \"" + state + "\"): " + bootLog());
            }
            Thread.sleep(50);
        }
        checkCanary("after boot");
        SystemdConfig config = new SystemdConfig(
                Scope.SYSTEM, Path.of("/proc", Long.toString(pid), "root"), "/run/systemd/system", "/run/orch/env", nsenterPrefix());
        systemctlDriver = new SystemdDriver(config);
        // D-Bus on the manager's private socket, as orchd picks it; no fallback here: the fixture fails instead.
        // systemd refuses peers whose PID it cannot see (SO_PEERCRED gives 0 across PID namespaces), so socat
        // inside the namespace relays the socket to the test JVM
        Path relay = workDir.resolve("systemd-private");
        new ProcessBuilder(nsenter("socat", "UNIX-LISTEN:" + relay + ",fork", "UNIX-CONNECT:/run/systemd/private"))
                .redirectOutput(workDir.resolve("socat.log").toFile()).redirectErrorStream(true).start();
        Instant relayDeadline = Instant.now().plusSeconds(10);
        while (!Files.exists(relay) && Instant.now().isBefore(relayDeadline)) {
            Thread.sleep(20);
        }
        driver = new SystemdDriver(config, dev.orch.systemd.DbusManager.connect(relay));
    }

    /** The manager's private D-Bus socket as the test JVM can use it (a relay inside the namespace). */
    public Path privateSocket() {
        return workDir.resolve("systemd-private");
    }

    /** A driver bound to this systemd over the {@code systemctl} command (the fallback transport). */
    public SystemdDriver systemctlDriver() {
        return systemctlDriver;
    }

    /** PID of the namespace's systemd, as seen from the host. */
    public long pid() {
        return pid;
    }

    /** A driver bound to this systemd over D-Bus. */
    public SystemdDriver driver() {
        return driver;
    }

    /** A path inside the namespace (for example {@code /proc/123/cmdline}) as the test can open it. */
    public Path path(String inside) {
        return Path.of("/proc", Long.toString(pid), "root").resolve(inside.substring(1));
    }

    /** Runs a command inside the namespace (mount and PID), e.g. {@code exec("systemd-analyze", "verify", f)}. */
    public CommandRunner.Result exec(String... argv) {
        return CommandRunner.run(nsenter(argv), Duration.ofSeconds(60));
    }

    public String journal() {
        return exec("journalctl", "--no-pager", "-o", "short-monotonic", "-n", "400").stdout();
    }

    /** argv that runs the rest inside the namespace: {@code nsenter -t PID -m -p}. */
    public List<String> nsenterPrefix() {
        return List.of("nsenter", "-t", Long.toString(pid), "-m", "-p");
    }

    private List<String> nsenter(String... argv) {
        List<String> l = new ArrayList<>(nsenterPrefix());
        l.addAll(List.of(argv));
        return l;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        if (pid != 0 && unshare != null && unshare.isAlive()) {
            String j = journal();
            System.out.println("---- journal of the test systemd (" + context.getDisplayName() + ") ----\n" + j);
            t.addSuppressed(new AssertionError("journal of the test systemd:\n" + j));
        }
        throw t;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** SIGKILLs the namespace (and with it everything in it), then checks the canary. Idempotent. */
    @Override
    public synchronized void close() {
        LIVE.remove(this);
        if (driver != null) {
            driver.close();
            driver = null;
        }
        kill();
        if (canary != null) {
            Path c = canary;
            canary = null;
            boolean present = Files.exists(c);
            try {
                Files.deleteIfExists(c);
            } catch (IOException ignored) {
                // best effort
            }
            if (!present) {
                throw new CanaryLost("teardown");
            }
        }
    }

    private void kill() {
        if (pid != 0) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        if (unshare != null) {
            unshare.destroyForcibly();
            try {
                unshare.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void checkCanary(String when) {
        if (!Files.exists(canary)) {
            kill();
            throw new CanaryLost(when);
        }
    }

    private String bootLog() {
        try {
            return Files.readString(workDir.resolve("boot.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no boot log)";
        }
    }

    private static synchronized ExecutorService launcher() {
        if (launcher == null) {
            launcher = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "systemd-namespace-launcher");
                t.setDaemon(true);
                return t;
            });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(SystemdNamespace::kill), "systemd-namespace-reaper"));
        }
        return launcher;
    }

    /** The host's /tmp lost a file while a namespaced systemd ran: never skipped, always loud. */
    public static final class CanaryLost extends Error {
        CanaryLost(String when) {
            super("DANGER: the /tmp canary file vanished (" + when + "): the namespaced systemd ran "
                    + "systemd-tmpfiles or similar against the host. Check the mask list in SystemdNamespace.");
        }
    }

    /** For the no-orphans test: boots a namespace, prints its PID and waits to be killed. */
    public static void main(String[] args) throws Exception {
        SystemdNamespace ns = new SystemdNamespace();
        ns.boot("orphan-check");
        System.out.println("CANARY " + ns.canary);
        System.out.println("PID " + ns.pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /**
     * $1 = target name, $2... = units to mask. Only /run (and /var/lib/private for DynamicUser state) become
     * private; systemd is exec'd only when every mask is verified to be in place.
     */
    static final String BOOT_SCRIPT = """
            #!/bin/sh
            set -eu
            target="$1"; shift
            mount -t tmpfs -o mode=0755 tmpfs /run
            mkdir -p /run/systemd/system /run/orch/env
            [ -d /var/lib/private ] || mkdir -m 0700 /var/lib/private
            mount -t tmpfs -o mode=0700 tmpfs /var/lib/private
            for u in "$@"; do ln -s /dev/null "/run/systemd/system/$u"; done
            for u in "$@"; do
              if [ "$(readlink "/run/systemd/system/$u")" != /dev/null ]; then echo "mask missing: $u" >&2; exit 97; fi
            done
            printf '[Unit]\\nDescription=orch test boot target\\n' > "/run/systemd/system/$target"
            # as on a booted host: systemd moves a unit's credentials mount out of a child namespace, which only
            # propagates to PID 1 over shared mounts (new peer groups of this namespace: the host's stay private)
            mount --make-rshared /
            exec /lib/systemd/systemd --system "--unit=$target"
            """;
}
