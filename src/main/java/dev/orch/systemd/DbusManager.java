package dev.orch.systemd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.connections.impl.DirectConnection;
import org.freedesktop.dbus.connections.impl.DirectConnectionBuilder;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.exceptions.DBusExecutionException;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.Variant;
import org.jboss.logging.Logger;

/**
 * {@link SystemdManager} over D-Bus, peer to peer on the manager's private socket ({@code /run/systemd/private},
 * or {@code $XDG_RUNTIME_DIR/systemd/private} for a user manager), so no bus daemon is needed. Start, stop and
 * restart are jobs whose {@code JobRemoved} signal is awaited; after {@code Subscribe} the manager signals every
 * unit's {@code PropertiesChanged}, which is how changes are seen without polling.
 */
public final class DbusManager implements SystemdManager {
    private static final Logger LOG = Logger.getLogger(DbusManager.class);
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(10);
    private static final String UNIT_PATH_PREFIX = Systemd1.OBJECT + "/unit/";
    private static final String NO_SUCH_UNIT = "org.freedesktop.systemd1.NoSuchUnit";
    /** LoadState of a unit the manager has not loaded: whether its file exists is for the driver to say. */
    public static final String NOT_LOADED = "not-loaded";

    private final DirectConnection bus;
    private final Systemd1.Manager manager;
    private final Map<String, CompletableFuture<String>> jobs = new ConcurrentHashMap<>();
    /** Jobs that finished before their caller had registered for them (the reply and the signal race). */
    private final Map<String, String> finishedEarly = java.util.Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 1024;
        }
    });
    private final List<Consumer<String>> changeListeners = new CopyOnWriteArrayList<>();

    private DbusManager(DirectConnection bus) throws DBusException {
        this.bus = bus;
        this.manager = bus.getRemoteObject(Systemd1.OBJECT, Systemd1.Manager.class);
        bus.addSigHandler(Systemd1.Manager.JobRemoved.class, s -> {
            String job = s.job();
            CompletableFuture<String> f = jobs.remove(job);
            if (f != null) {
                f.complete(s.result());
            } else {
                finishedEarly.put(job, s.result());
            }
            changed(s.unit());
        });
        bus.addSigHandler(Properties.PropertiesChanged.class, s -> {
            if (s.getPath().startsWith(UNIT_PATH_PREFIX)) {
                changed(unitName(s.getPath()));
            }
        });
        manager.Subscribe();
    }

    /** Connects to the manager's private socket; fails if it is absent or refuses (the caller falls back to systemctl). */
    public static DbusManager connect(Path privateSocket) {
        if (!Files.exists(privateSocket)) {
            throw new DriverException("no systemd private socket at " + privateSocket);
        }
        try {
            DirectConnection c = DirectConnectionBuilder.forAddress("unix:path=" + privateSocket).build();
            try {
                warmUp(c);
                return new DbusManager(c);
            } catch (DBusException | RuntimeException e) {
                c.close();
                throw e;
            }
        } catch (DBusException | java.io.IOException | RuntimeException e) {
            throw new DriverException("cannot talk D-Bus to systemd at " + privateSocket + ": " + e.getMessage(), e);
        }
    }

    /**
     * Pings until the first reply arrives. dbus-java 5.2.2 on a fresh direct connection sometimes drops the reply
     * to the very first call (seen here: 1 to 2 of 8 connections to systemd 252), which would then wait out the
     * whole call timeout; later calls on the same connection are answered.
     */
    private static void warmUp(DirectConnection c) throws DBusException {
        Properties manager = c.getRemoteObject(Systemd1.OBJECT, Properties.class);
        for (int attempt = 0; attempt < 10; attempt++) {
            CompletableFuture<Object> version = new CompletableFuture<>();
            Thread.ofVirtual().name("orch-dbus-connect").start(() -> {
                try {
                    version.complete(manager.Get("org.freedesktop.systemd1.Manager", "Version"));
                } catch (RuntimeException e) {
                    version.completeExceptionally(e);
                }
            });
            try {
                version.get(1, TimeUnit.SECONDS);
                return;
            } catch (TimeoutException e) {
                LOG.debugf("no answer to the first call on %s yet; asking again", c.getAddress());
            } catch (ExecutionException e) {
                throw new DBusException("the manager refused: " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DBusException("interrupted while connecting");
            }
        }
        throw new DBusException("no answer within 10 s");
    }

    @Override
    public String transport() {
        return "dbus";
    }

    @Override
    public void reload() {
        call(() -> {
            manager.Reload();
            return null;
        }, "daemon-reload");
    }

    @Override
    public boolean loaded(String unit) {
        try {
            manager.GetUnit(unit);
            return true;
        } catch (DBusExecutionException e) {
            return !noSuchUnit(e);
        }
    }

    @Override
    public void start(String unit) {
        awaitJob(unit, "start", call(() -> manager.StartUnit(unit, "replace"), "start " + unit));
    }

    @Override
    public void stop(String unit) {
        DBusPath job;
        try {
            job = manager.StopUnit(unit, "replace");
        } catch (DBusExecutionException e) {
            if (noSuchUnit(e)) {
                return; // not loaded: stopped already
            }
            throw new DriverException("stop " + unit + ": " + e.getMessage(), e);
        }
        awaitJob(unit, "stop", job);
    }

    @Override
    public void restart(String unit) {
        awaitJob(unit, "restart", call(() -> manager.RestartUnit(unit, "replace"), "restart " + unit));
    }

    @Override
    public void resetFailed(List<String> units) {
        for (String u : units) {
            try {
                manager.ResetFailedUnit(u);
            } catch (DBusExecutionException e) {
                LOG.debugf("reset-failed %s: %s", u, e.getMessage()); // only clears memory of failures
            }
        }
    }

    @Override
    public Map<String, Map<String, String>> show(List<String> units) {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (String u : units) {
            out.put(u, call(() -> properties(u), "show " + u));
        }
        return out;
    }

    /** The properties {@code systemctl show} would print, spelled the same way. */
    private Map<String, String> properties(String unit) throws DBusException {
        String path;
        try {
            // GetUnit, not LoadUnit: loading every polled unit would keep deleted ones in the manager's memory
            path = manager.GetUnit(unit).getPath();
        } catch (DBusExecutionException e) {
            if (!noSuchUnit(e)) {
                throw e;
            }
            return Map.of("Id", unit, "LoadState", NOT_LOADED, "ActiveState", "inactive", "SubState", "dead");
        }
        Properties p = bus.getRemoteObject(path, Properties.class);
        Map<String, String> out = new HashMap<>();
        Map<String, Variant<?>> u = p.GetAll(Systemd1.UNIT);
        out.put("Id", text(u.get("Id")));
        out.put("LoadState", text(u.get("LoadState")));
        out.put("ActiveState", text(u.get("ActiveState")));
        out.put("SubState", text(u.get("SubState")));
        Object changed = u.get("StateChangeTimestamp") == null ? null : u.get("StateChangeTimestamp").getValue();
        if (changed instanceof Number n && n.longValue() > 0) {
            out.put("StateChangeTimestamp", "@" + n.longValue() / 1_000_000);
        }
        if (!"not-found".equals(out.get("LoadState"))) {
            Map<String, Variant<?>> s = p.GetAll(Systemd1.SERVICE);
            out.put("MainPID", text(s.get("MainPID")));
            out.put("NRestarts", text(s.get("NRestarts")));
            out.put("ExecMainCode", text(s.get("ExecMainCode")));
            out.put("ExecMainStatus", text(s.get("ExecMainStatus")));
        }
        return out;
    }

    private static boolean noSuchUnit(DBusExecutionException e) {
        return NO_SUCH_UNIT.equals(e.getType()) || String.valueOf(e.getMessage()).endsWith(" not loaded.");
    }

    private static String text(Variant<?> v) {
        return v == null ? "" : String.valueOf(v.getValue());
    }

    @Override
    public Optional<AutoCloseable> onChange(Consumer<String> listener) {
        changeListeners.add(listener);
        return Optional.of(() -> changeListeners.remove(listener));
    }

    private void changed(String unit) {
        for (Consumer<String> l : changeListeners) {
            try {
                l.accept(unit);
            } catch (RuntimeException e) {
                LOG.debugf("change listener failed for %s: %s", unit, e.getMessage());
            }
        }
    }

    private void awaitJob(String unit, String verb, DBusPath job) {
        String path = job.getPath();
        CompletableFuture<String> f = new CompletableFuture<>();
        jobs.put(path, f);
        String early = finishedEarly.remove(path);
        if (early != null) {
            jobs.remove(path);
            f.complete(early);
        }
        String result;
        try {
            result = f.get(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            jobs.remove(path);
            throw new DriverException(verb + " " + unit + ": job " + path + " did not finish within " + JOB_TIMEOUT.toMinutes() + " min");
        } catch (ExecutionException e) {
            throw new DriverException(verb + " " + unit + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DriverException(verb + " " + unit + " interrupted");
        }
        if (!result.equals("done")) {
            throw new DriverException("Job for " + unit + " failed (" + verb + " job result: " + result + "). See \"journalctl -u " + unit + "\" for details.");
        }
    }

    /** systemd's bus label escaping: every byte outside [A-Za-z0-9] is {@code _xx} in hex. */
    static String unitName(String objectPath) {
        String label = objectPath.substring(UNIT_PATH_PREFIX.length());
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c == '_' && i + 2 < label.length()) {
                out.write(Integer.parseInt(label.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private interface BusCall<T> {
        T run() throws DBusException;
    }

    private static <T> T call(BusCall<T> c, String what) {
        try {
            return c.run();
        } catch (DBusException | DBusExecutionException e) {
            throw new DriverException(what + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            bus.close();
        } catch (java.io.IOException e) {
            LOG.debugf("closing the D-Bus connection: %s", e.getMessage());
        }
    }
}
