package dev.orch.systemd;

import dev.orch.state.AtomicFiles;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * {@link ServiceDriver} over a {@link SystemdManager} (D-Bus, or {@code systemctl} where D-Bus is not reachable).
 * One plain unit per instance; definitions are written atomically and a batch of changes costs one
 * {@code daemon-reload}. State changes come from the manager's change signals when it has them, and from a poll
 * (see {@link StatusPoller}) that is then only a safety net.
 */
public final class SystemdDriver implements ServiceDriver {
    private static final Set<PosixFilePermission> MODE_0644 = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> MODE_0600 = AtomicFiles.PRIVATE_FILE;

    private static final Logger LOG = Logger.getLogger(SystemdDriver.class);
    static final String PROPERTIES =
            "Id,LoadState,ActiveState,SubState,MainPID,NRestarts,ExecMainCode,ExecMainStatus,StateChangeTimestamp";

    private static final Duration QUICK = Duration.ofSeconds(30);
    /** The status poll's shortest period when the manager signals changes. */
    static final Duration SAFETY_NET_POLL = Duration.ofSeconds(60);

    private final SystemdConfig config;
    private final SystemdManager manager;
    private final UnitRenderer renderer;
    private final List<StatusPoller> pollers = new ArrayList<>();
    private final ReloadBatcher reloads;

    /** Over {@code systemctl}. */
    public SystemdDriver(SystemdConfig config) {
        this(config, new SystemctlManager(config));
    }

    public SystemdDriver(SystemdConfig config, SystemdManager manager) {
        this.config = config;
        this.manager = manager;
        this.renderer = new UnitRenderer(new UnitRenderer.Options(config.scope(), config.envDir(), config.secretsDir()));
        this.reloads = new ReloadBatcher(manager::reload);
    }

    /** Over D-Bus when the manager's private socket answers, else over {@code systemctl}; logs which and why. */
    public static SystemdDriver connect(SystemdConfig config) {
        return connect(config, config.privateSocket());
    }

    /** @param socket the manager's private socket (a relay of it in tests) */
    public static SystemdDriver connect(SystemdConfig config, Path socket) {
        try {
            SystemdManager bus = DbusManager.connect(socket);
            LOG.infof("systemd driver: D-Bus on %s", socket);
            return new SystemdDriver(config, bus);
        } catch (DriverException e) {
            LOG.infof("systemd driver: systemctl (%s)", e.getMessage());
            return new SystemdDriver(config);
        }
    }

    /** {@code dbus} or {@code systemctl}. */
    public String transport() {
        return manager.transport();
    }

    public SystemdConfig config() {
        return config;
    }

    public UnitRenderer renderer() {
        return renderer;
    }

    @Override
    public String kind() {
        return "systemd";
    }

    /**
     * Writes the units and env files that differ. A changed unit the manager has loaded needs a reload before it
     * is started; concurrent installs share one ({@link ReloadBatcher}). A unit the manager has not loaded (a new
     * one) needs none: the manager reads its file when it is first started (systemd rebuilds its unit-file map
     * when the unit directories changed).
     */
    @Override
    public InstallResult install(List<ServiceSpec> specs) {
        List<InstanceId> changed = new ArrayList<>();
        List<InstanceId> unchanged = new ArrayList<>();
        List<InstanceId> unitsWritten = new ArrayList<>();
        write(specs, changed, unchanged, unitsWritten);
        boolean unitChanged = !unitsWritten.isEmpty();
        if (unitsWritten.stream().anyMatch(id -> manager.loaded(id.unitName()))) {
            reloads.await(reloads.written());
        }
        return new InstallResult(changed, unchanged, unitChanged);
    }

    private synchronized void write(List<ServiceSpec> specs, List<InstanceId> changed, List<InstanceId> unchanged, List<InstanceId> unitsWritten) {
        for (ServiceSpec spec : specs) {
            RenderedUnit r = renderer.render(spec);
            Path unit = unitPath(spec.id());
            Path env = envPath(spec.id());
            try {
                boolean envDiffers = differs(env, r.envText());
                boolean unitDiffers = differs(unit, r.unitText());
                if (envDiffers) {
                    AtomicFiles.createPrivateDirectories(env.getParent()); // holds secrets: 0700
                    AtomicFiles.write(env, r.envText().getBytes(StandardCharsets.UTF_8), MODE_0600);
                }
                if (unitDiffers) {
                    java.nio.file.Files.createDirectories(unit.getParent()); // e.g. ~/.config/systemd/user
                    AtomicFiles.write(unit, r.unitText().getBytes(StandardCharsets.UTF_8), MODE_0644);
                    unitsWritten.add(spec.id());
                }
                (envDiffers || unitDiffers ? changed : unchanged).add(spec.id());
            } catch (IOException e) {
                throw new DriverException("cannot write the unit of " + spec.id() + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public boolean isCurrent(ServiceSpec spec) {
        RenderedUnit r = renderer.render(spec);
        try {
            return !differs(envPath(spec.id()), r.envText()) && !differs(unitPath(spec.id()), r.unitText());
        } catch (IOException e) {
            throw new DriverException("cannot read the unit of " + spec.id() + ": " + e.getMessage(), e);
        }
    }

    /** A reload now, or shared with the writers that asked for one at the same time. */
    public void daemonReload() {
        reloads.await(reloads.written());
    }

    /** Reloads this driver ran (a burst of installs shares one). */
    public long reloadCount() {
        return reloads.reloads();
    }

    @Override
    public void start(InstanceId id) {
        manager.start(id.unitName());
    }

    @Override
    public void stop(InstanceId id) {
        manager.stop(id.unitName()); // a unit that does not exist is stopped already: an abort of a color never installed succeeds
    }

    @Override
    public void restart(InstanceId id) {
        manager.restart(id.unitName());
    }

    @Override
    public InstanceStatus status(InstanceId id) {
        return statuses(List.of(id)).get(id);
    }

    /** The process's own output only ({@code _SYSTEMD_UNIT=}), not systemd's messages about the unit. */
    @Override
    public List<String> lastLogLines(InstanceId id, int lines) {
        String field = (config.scope() == Scope.USER ? "_SYSTEMD_USER_UNIT=" : "_SYSTEMD_UNIT=") + id.unitName();
        return journal(id, "-n", Integer.toString(lines), field);
    }

    /** systemd's own last "Main process exited, code=exited, status=3/NOTIMPLEMENTED" about the unit, as "exited with status 3". */
    @Override
    public String lastExit(InstanceId id) {
        List<String> lines = journal(id, "-n", "50", "-u", id.unitName());
        for (int i = lines.size() - 1; i >= 0; i--) {
            java.util.regex.Matcher m = MAIN_EXITED.matcher(lines.get(i));
            if (m.find()) {
                return m.group(1) + " with status " + m.group(2);
            }
        }
        return "";
    }

    private static final java.util.regex.Pattern MAIN_EXITED = java.util.regex.Pattern.compile("Main process exited, code=(\\w+), status=(\\d+)");

    private List<String> journal(InstanceId id, String... args) {
        List<String> argv = new ArrayList<>(List.of("--no-pager", "-o", "cat"));
        argv.addAll(List.of(args));
        CommandRunner.Result r = CommandRunner.run(config.command("journalctl", argv.toArray(String[]::new)), QUICK);
        if (!r.ok()) {
            LOG.debugf("journal of %s unreadable: %s", id.unitName(), r.describe());
            return List.of();
        }
        return r.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    /** Status of many instances (one {@code systemctl show}, or a properties call per unit over D-Bus). */
    public Map<InstanceId, InstanceStatus> statuses(List<InstanceId> ids) {
        Map<InstanceId, InstanceStatus> out = new HashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        for (Map<String, String> block : manager.show(ids.stream().map(InstanceId::unitName).toList()).values()) {
            Optional<InstanceId> id = InstanceId.fromUnitName(block.getOrDefault("Id", ""));
            id.filter(ids::contains).ifPresent(i -> out.put(i, toStatus(i, loaded(i, block))));
        }
        for (InstanceId i : ids) {
            if (!out.containsKey(i)) {
                throw new DriverException("the manager did not report " + i.unitName());
            }
        }
        return out;
    }

    @Override
    public List<InstalledInstance> list() {
        List<InstalledInstance> out = new ArrayList<>();
        Path dir = config.hostPath(config.unitDir());
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, InstanceId.UNIT_PREFIX + "*.service")) {
            for (Path p : ds) {
                if (!Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    continue; // orch writes regular files; a symlink (e.g. a mask) is someone else's
                }
                String text = Files.readString(p, StandardCharsets.UTF_8);
                Markers.read(p.getFileName().toString(), text).ifPresent(out::add);
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new DriverException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        out.sort(java.util.Comparator.comparing(i -> i.id().unitName()));
        return out;
    }

    @Override
    public synchronized String stageSecrets(String app, dev.orch.state.Color color, SecretPayload secrets) {
        try {
            SecretFiles.write(secretsPath(app, color), secrets);
            return null;
        } catch (IOException e) {
            throw new DriverException("cannot write the secrets of " + app + " " + color.wire() + ": " + e.getMessage(), e);
        }
    }

    private Path secretsPath(String app, dev.orch.state.Color color) {
        return config.hostPath(config.secretsDir()).resolve(UnitRenderer.secretsDirName(new InstanceId(app, color, 0)));
    }

    @Override
    public void remove(List<InstanceId> ids) {
        List<InstanceId> owned = list().stream().map(InstalledInstance::id).filter(ids::contains).toList();
        for (InstanceId id : owned) {
            try {
                manager.stop(id.unitName());
            } catch (DriverException e) {
                LOG.warnf("stopping %s before removal failed: %s", id.unitName(), e.getMessage());
            }
        }
        delete(owned);
        if (!owned.isEmpty()) {
            daemonReload(); // shared with concurrent removals and installs
            manager.resetFailed(owned.stream().map(InstanceId::unitName).toList()); // only clears memory of failures
        }
    }

    private synchronized void delete(List<InstanceId> owned) {
        try {
            for (InstanceId id : owned) {
                AtomicFiles.deleteIfExists(unitPath(id));
                AtomicFiles.deleteIfExists(envPath(id));
                if (id.replica() == 0) {
                    SecretFiles.delete(secretsPath(id.app(), id.color()));
                }
            }
        } catch (IOException e) {
            throw new DriverException("cannot delete a unit file: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Subscription watch(Consumer<InstanceEvent> listener, Duration interval) {
        StatusPoller[] poller = new StatusPoller[1];
        // with signals, a change is reported when it happens; the poll stays as a rare safety net
        Optional<AutoCloseable> signals = manager.onChange(unit -> InstanceId.fromUnitName(unit).ifPresent(id -> {
            StatusPoller p = poller[0];
            if (p != null && Files.exists(unitPath(id))) {
                p.update(id, status(id));
            }
        }));
        StatusPoller p = new StatusPoller("orch-systemd-watch", pollInterval(interval, signals.isPresent()), listener,
                () -> statuses(list().stream().map(InstalledInstance::id).toList()));
        poller[0] = p;
        pollers.add(p);
        p.start();
        return () -> {
            signals.ifPresent(s -> {
                try {
                    s.close();
                } catch (Exception e) {
                    LOG.debugf("closing the change subscription: %s", e.getMessage());
                }
            });
            p.close();
            synchronized (this) {
                pollers.remove(p);
            }
        };
    }

    /**
     * The status poll's period: {@code interval} without change signals; with them at least {@link #SAFETY_NET_POLL},
     * since every poll asks the manager about every unit (1,000 units: 3,000 bus calls).
     */
    static Duration pollInterval(Duration interval, boolean signals) {
        return signals && interval.compareTo(SAFETY_NET_POLL) < 0 ? SAFETY_NET_POLL : interval;
    }

    @Override
    public synchronized void close() {
        pollers.forEach(StatusPoller::close);
        pollers.clear();
        manager.close();
    }

    public Path unitPath(InstanceId id) {
        return config.hostPath(config.unitDir()).resolve(id.unitName());
    }

    public Path envPath(InstanceId id) {
        return config.hostPath(config.envDir()).resolve(id.baseName() + ".env");
    }

    private static boolean differs(Path p, String want) throws IOException {
        try {
            return !Files.readString(p, StandardCharsets.UTF_8).equals(want);
        } catch (NoSuchFileException e) {
            return true;
        } catch (java.nio.charset.MalformedInputException e) {
            return true;
        }
    }

    /** A unit the manager has not loaded is installed exactly when its file exists (what loading it would say). */
    private Map<String, String> loaded(InstanceId id, Map<String, String> block) {
        if (!DbusManager.NOT_LOADED.equals(block.get("LoadState"))) {
            return block;
        }
        Map<String, String> b = new HashMap<>(block);
        b.put("LoadState", Files.exists(unitPath(id)) ? "loaded" : "not-found");
        return b;
    }

    static List<Map<String, String>> parseShow(String out) {
        return SystemctlManager.parseShow(out);
    }

    static InstanceStatus toStatus(InstanceId id, Map<String, String> p) {
        String load = p.getOrDefault("LoadState", "");
        int code = parseInt(p.get("ExecMainCode"), 0);
        String exitCode = switch (code) {
            case 1 -> "exited";
            case 2 -> "killed";
            case 3 -> "dumped";
            default -> null;
        };
        return new InstanceStatus(
                id,
                !load.equals("not-found") && !load.isEmpty(),
                ActiveState.parse(p.getOrDefault("ActiveState", "")),
                p.getOrDefault("SubState", ""),
                parseInt(p.get("MainPID"), 0),
                parseInt(p.get("NRestarts"), 0),
                exitCode,
                exitCode == null ? null : parseInt(p.get("ExecMainStatus"), 0),
                parseUnixTimestamp(p.get("StateChangeTimestamp")));
    }

    private static int parseInt(String s, int dflt) {
        try {
            return s == null || s.isEmpty() ? dflt : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    static Instant parseUnixTimestamp(String s) {
        if (s == null || !s.startsWith("@")) {
            return null;
        }
        try {
            return Instant.ofEpochSecond(Long.parseLong(s.substring(1).strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
