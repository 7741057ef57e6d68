package dev.orch.testing;

import dev.orch.systemd.CommandRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A systemd user manager ({@code systemctl --user}) for a non-root user that exists only inside a
 * {@link SystemdNamespace}: the user is a JSON user record in the namespace's private {@code /run/userdb/}
 * (read by nss-systemd, which the host's nsswitch.conf lists; the host's /etc/passwd is never touched), its home
 * a fresh directory under {@code /var/lib/orch-it}, and its manager is {@code user@UID.service} started in the
 * namespace's systemd with {@code XDG_RUNTIME_DIR=/run/user/UID} (a tmpfs mounted by {@code user-runtime-dir@UID}).
 *
 * <p>On a VM, {@code loginctl enable-linger USER} makes logind start {@code user@UID.service} at boot. logind is
 * masked in the namespace (it is wanted by multi-user.target, and it would manage the host's seats), so the
 * fixture starts {@code user@UID.service} itself: the unit lingering starts.
 *
 * <p>Commands run as the user inside the namespace's PID and mount namespaces ({@code nsenter}, then {@code
 * setpriv} to the user's uid and gid), so the user manager can see their PIDs and no socket relay is needed.
 * Whatever runs so dies with the namespace.
 */
public final class UserManager implements AutoCloseable {
    public static final int UID = 61042;
    public static final String NAME = "orchit";
    private static final String PATH = "/usr/local/bin:/usr/bin:/bin";

    private final SystemdNamespace systemd;
    private final Path dir;
    private final Path home;
    private final List<Process> spawned = new ArrayList<>();

    /** Creates the user and starts its manager; throws when the manager does not come up. */
    public UserManager(SystemdNamespace systemd) {
        this.systemd = systemd;
        try {
            Path parent = Files.createDirectories(Path.of("/var/lib/orch-it"));
            Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
            dir = Files.createDirectory(parent.resolve("user-" + UUID.randomUUID().toString().substring(0, 8)));
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            home = Files.createDirectory(dir.resolve("home"));
            chown(home);
            writeUserRecord();
            writeRuntimeDirDropIn();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            startManager();
        } catch (RuntimeException | AssertionError e) {
            deleteDir();
            throw e;
        }
    }

    private void startManager() {
        CommandRunner.Result started = systemd.exec("systemctl", "start", "user@" + UID + ".service");
        if (started.exitCode() != 0) {
            throw new AssertionError("user@" + UID + ".service did not start: " + started + "\n" + systemd.journal());
        }
        Path socket = systemd.path(runtimeDir() + "/systemd/private");
        Instant deadline = Instant.now().plusSeconds(20);
        while (!Files.exists(socket) || !systemctl("is-system-running").stdout().strip().matches("running|degraded")) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the user manager of " + UID + " is not running: " + systemctl("is-system-running")
                        + "\n" + systemd.journal());
            }
            sleep(50);
        }
    }

    /** {@code /run/userdb/NAME.user} plus the by-uid symlink, and the same for the user's group (nss-systemd drop-ins). */
    private void writeUserRecord() throws IOException {
        Path userdb = Files.createDirectories(systemd.path("/run/userdb"));
        Files.writeString(userdb.resolve(NAME + ".user"), """
                {"userName":"%s","uid":%d,"gid":%d,"homeDirectory":"%s","shell":"/bin/sh","realName":"orch test user"}
                """.formatted(NAME, UID, UID, home));
        Files.writeString(userdb.resolve(NAME + ".group"), """
                {"groupName":"%s","gid":%d}
                """.formatted(NAME, UID));
        Files.createSymbolicLink(userdb.resolve(UID + ".user"), Path.of(NAME + ".user"));
        Files.createSymbolicLink(userdb.resolve(UID + ".group"), Path.of(NAME + ".group"));
    }

    /**
     * {@code user-runtime-dir@UID.service} asks logind over the system bus how large {@code /run/user/UID} may be;
     * the namespace has neither, so a drop-in creates the directory (on the namespace's /run tmpfs) the same way.
     * pam_systemd gets {@code XDG_RUNTIME_DIR} for {@code user@UID.service} from logind; a drop-in sets it instead.
     */
    private void writeRuntimeDirDropIn() throws IOException {
        Path dropIn = Files.createDirectories(systemd.path("/run/systemd/system/user-runtime-dir@" + UID + ".service.d"));
        Files.writeString(dropIn.resolve("50-test.conf"), """
                [Service]
                ExecStart=
                ExecStart=/usr/bin/install -d -m 0700 -o %1$d -g %1$d /run/user/%1$d
                ExecStop=
                ExecStop=/bin/rm -rf /run/user/%1$d
                """.formatted(UID));
        Path manager = Files.createDirectories(systemd.path("/run/systemd/system/user@" + UID + ".service.d"));
        Files.writeString(manager.resolve("50-test.conf"), "[Service]\nEnvironment=XDG_RUNTIME_DIR=/run/user/" + UID + "\n");
        systemd.exec("systemctl", "daemon-reload");
    }

    public int uid() {
        return UID;
    }

    /** The user's home on the shared file system (the same path inside and outside the namespace). */
    public Path home() {
        return home;
    }

    /** A scratch directory next to the home (root-owned, world-readable). */
    public Path dir() {
        return dir;
    }

    /** {@code $XDG_RUNTIME_DIR} as the user sees it inside the namespace. */
    public String runtimeDir() {
        return "/run/user/" + UID;
    }

    /** Makes {@code p} the user's. */
    public static void chown(Path p) throws IOException {
        Files.setAttribute(p, "unix:uid", UID);
        Files.setAttribute(p, "unix:gid", UID);
    }

    /** argv that runs {@code argv} as the user inside the namespace, with a login-like environment. */
    public List<String> asUser(List<String> argv) {
        List<String> l = new ArrayList<>(systemd.nsenterPrefix());
        l.addAll(List.of("setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups", "--"));
        l.addAll(argv);
        return l;
    }

    /** The environment a session of the user would have ({@code HOME}, {@code XDG_RUNTIME_DIR}, ...). */
    public Map<String, String> environment() {
        return Map.of("HOME", home.toString(), "USER", NAME, "LOGNAME", NAME, "PATH", PATH,
                "XDG_RUNTIME_DIR", runtimeDir(), "LANG", "C.UTF-8");
    }

    /** Runs a command as the user inside the namespace, e.g. {@code exec("systemctl", "--user", "status")}. */
    public CommandRunner.Result exec(String... argv) {
        List<String> cmd = new ArrayList<>(List.of("env", "-i"));
        environment().forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.addAll(List.of(argv));
        return CommandRunner.run(asUser(cmd), Duration.ofSeconds(60));
    }

    /** {@code systemctl --user ...} as the user, talking to its manager. */
    public CommandRunner.Result systemctl(String... args) {
        List<String> argv = new ArrayList<>(List.of("systemctl", "--user"));
        argv.addAll(List.of(args));
        return exec(argv.toArray(String[]::new));
    }

    /** A unit property as the user manager shows it. */
    public String unitProperty(String unit, String property) {
        return systemctl("show", "-p", property, "--value", unit).stdout().strip();
    }

    /**
     * Starts a long-running command as the user inside the namespace, with the user's environment plus {@code
     * env}; output to {@code log}. Stopped by {@link #kill(Process)}, {@link #close()} or the namespace's end.
     */
    public Process spawn(List<String> argv, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(asUser(argv)).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(environment());
        pb.environment().putAll(env);
        Process p = pb.start();
        synchronized (spawned) {
            spawned.add(p);
        }
        return p;
    }

    /** SIGKILLs what {@link #spawn} started (nsenter's child runs in the namespace and outlives nsenter otherwise). */
    public void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor();
    }

    /** The uid a process of the namespace runs as (real uid, from its {@code /proc/PID/status}). */
    public int uidOf(long pidInNamespace) throws IOException {
        for (String line : Files.readAllLines(systemd.path("/proc/" + pidInNamespace + "/status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).strip().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("no Uid line for " + pidInNamespace);
    }

    public String journal() {
        return systemd.exec("journalctl", "--no-pager", "-o", "short-monotonic", "-n", "300", "_UID=" + UID).stdout();
    }

    @Override
    public void close() throws Exception {
        List<Process> ps;
        synchronized (spawned) {
            ps = List.copyOf(spawned);
            spawned.clear();
        }
        for (Process p : ps) {
            kill(p);
        }
        systemd.exec("systemctl", "stop", "user@" + UID + ".service");
        deleteDir();
    }

    private void deleteDir() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
