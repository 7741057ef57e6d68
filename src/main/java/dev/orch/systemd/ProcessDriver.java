package dev.orch.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * {@link ServiceDriver} for hosts where systemd is not PID 1: each instance is a child process of orchd,
 * supervised by one platform thread that restarts it on failure with exponential backoff (like
 * {@code Restart=on-failure}; exit 0 and 143 are success), appends stdout/stderr to log files with a time stamp per
 * line ({@link LogPump}), and on stop
 * sends SIGTERM, then SIGKILL after the template's grace period. There is no sandboxing, and definitions live
 * in memory: children end with orchd (they get {@code PR_SET_PDEATHSIG} through {@code setpriv} when available).
 */
public final class ProcessDriver implements ServiceDriver {
    private static final Logger LOG = Logger.getLogger(ProcessDriver.class);
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    /** systemd reports a failed exec as status 203 (EXIT_EXEC); the process driver does the same. */
    public static final int EXIT_EXEC = 203;

    private final ProcessDriverConfig config;
    private final ProcessSecrets staging;
    private final Map<InstanceId, Supervisor> instances = new ConcurrentHashMap<>();
    private final List<Consumer<InstanceEvent>> listeners = new CopyOnWriteArrayList<>();
    private final boolean pdeathsig = Files.isExecutable(SETPRIV);

    public ProcessDriver(ProcessDriverConfig config) {
        this.config = config;
        this.staging = new ProcessSecrets(config.stateDir());
    }

    @Override
    public String kind() {
        return "process";
    }

    @Override
    public InstallResult install(List<ServiceSpec> specs) {
        List<InstanceId> changed = new ArrayList<>();
        List<InstanceId> unchanged = new ArrayList<>();
        for (ServiceSpec spec : specs) {
            Definition def = new Definition(spec, LaunchPlan.of(spec));
            Supervisor s = instances.computeIfAbsent(spec.id(), id -> new Supervisor(id, def));
            if (s.definition.equals(def) && s.installed) {
                unchanged.add(spec.id());
            } else {
                s.definition = def; // used from the next (re)start on, like a unit file after daemon-reload
                s.installed = true;
                changed.add(spec.id());
            }
        }
        return new InstallResult(changed, unchanged, false);
    }

    @Override
    public boolean isCurrent(ServiceSpec spec) {
        Supervisor s = instances.get(spec.id());
        return s != null && s.installed && s.definition.equals(new Definition(spec, LaunchPlan.of(spec)));
    }

    @Override
    public String stageSecrets(String app, dev.orch.state.Color color, SecretPayload secrets) {
        return staging.stage(app, color, secrets);
    }

    /** Returns once the process was spawned (or its exec failed), like {@code systemctl start} of a Type=exec unit. */
    @Override
    public void start(InstanceId id) {
        supervisor(id).start();
    }

    @Override
    public void stop(InstanceId id) {
        Supervisor s = instances.get(id);
        if (s != null && s.installed) {
            s.stop();
        } // an instance that was never installed (or is gone) is stopped already: like systemctl, success
    }

    @Override
    public void restart(InstanceId id) {
        Supervisor s = supervisor(id);
        s.stop();
        s.start();
    }

    @Override
    public InstanceStatus status(InstanceId id) {
        Supervisor s = instances.get(id);
        return s == null
                ? new InstanceStatus(id, false, ActiveState.INACTIVE, "dead", 0, 0, null, null, null)
                : s.snapshot();
    }

    @Override
    public List<InstalledInstance> list() {
        return instances.values().stream()
                .filter(s -> s.installed)
                .map(s -> new InstalledInstance(s.id, s.definition.spec.revision(), s.definition.spec.source(), s.definition.spec.port()))
                .sorted(Comparator.comparing(i -> i.id().unitName()))
                .toList();
    }

    @Override
    public void remove(List<InstanceId> ids) {
        for (InstanceId id : ids) {
            Supervisor s = instances.get(id);
            if (s != null) {
                s.stop();
                instances.remove(id);
            }
        }
    }

    /** Reports every transition as it happens; {@code interval} is not needed and ignored. */
    @Override
    public Subscription watch(Consumer<InstanceEvent> listener, Duration interval) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public void close() {
        instances.values().parallelStream().forEach(Supervisor::stop);
        listeners.clear();
    }

    public Path stdoutLog(InstanceId id) {
        return config.stateDir().resolve("logs").resolve(id.baseName() + ".stdout.log");
    }

    public Path stderrLog(InstanceId id) {
        return config.stateDir().resolve("logs").resolve(id.baseName() + ".stderr.log");
    }

    private Supervisor supervisor(InstanceId id) {
        Supervisor s = instances.get(id);
        if (s == null || !s.installed) {
            throw new DriverException(id + " is not installed");
        }
        return s;
    }

    private record Definition(ServiceSpec spec, LaunchPlan plan) {}

    /** One instance: its definition, its current child and the thread that watches it. */
    private final class Supervisor {
        final InstanceId id;
        volatile Definition definition;
        volatile boolean installed;
        // guarded by this
        private boolean wanted;
        private Thread thread;
        private Process process;
        private ActiveState state = ActiveState.INACTIVE;
        private String sub = "dead";
        private int restarts;
        private String exitCode;
        private Integer exitStatus;
        private Instant since = Instant.now();
        private java.util.concurrent.CountDownLatch firstSpawn;

        Supervisor(InstanceId id, Definition d) {
            this.id = id;
            this.definition = d;
        }

        synchronized InstanceStatus snapshot() {
            long pid = process != null && process.isAlive() ? process.pid() : 0;
            return new InstanceStatus(id, installed, state, sub, pid, restarts, exitCode, exitStatus, since);
        }

        void start() {
            java.util.concurrent.CountDownLatch spawned;
            synchronized (this) {
                if (wanted) {
                    return;
                }
                wanted = true;
                restarts = 0;
                spawned = new java.util.concurrent.CountDownLatch(1);
                firstSpawn = spawned;
                Thread t = Thread.ofPlatform().daemon().name("orch-proc-" + id.baseName()).unstarted(this::supervise);
                thread = t;
                transition(ActiveState.ACTIVATING, "start");
                t.start();
            }
            try {
                spawned.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Runs on the supervisor thread; the child is spawned here so its parent-death signal follows this thread. */
        private void supervise() {
            Duration backoff = config.initialBackoff();
            while (true) {
                Definition d = definition;
                Process p;
                Instant started = Instant.now();
                try {
                    p = spawn(d);
                } catch (IOException e) {
                    LOG.warnf("%s: cannot start %s: %s", id, d.plan().argv().get(0), e.getMessage());
                    p = null;
                }
                synchronized (this) {
                    if (!wanted || Thread.currentThread() != thread) {
                        if (p != null) {
                            p.destroyForcibly(); // stop() came while spawning
                        }
                        if (firstSpawn != null) {
                            firstSpawn.countDown();
                            firstSpawn = null;
                        }
                        return;
                    }
                    if (p != null) {
                        process = p;
                        exitCode = null;
                        exitStatus = null;
                        transition(ActiveState.ACTIVE, "running");
                    } else {
                        exitCode = "exited";
                        exitStatus = EXIT_EXEC;
                    }
                    if (firstSpawn != null) {
                        firstSpawn.countDown();
                        firstSpawn = null;
                    }
                }
                int status = EXIT_EXEC;
                if (p != null) {
                    status = waitUninterruptibly(p);
                }
                synchronized (this) {
                    process = null;
                    if (!wanted || Thread.currentThread() != thread) {
                        return; // stop() owns the exit status (it may have sent SIGKILL) and the final transition
                    }
                    exitCode = "exited";
                    exitStatus = status;
                    if (status == 0 || status == 143) {
                        wanted = false;
                        thread = null;
                        transition(ActiveState.INACTIVE, "dead");
                        return;
                    }
                    transition(ActiveState.ACTIVATING, "auto-restart");
                }
                if (Duration.between(started, Instant.now()).compareTo(config.maxBackoff()) >= 0) {
                    backoff = config.initialBackoff();
                }
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException e) {
                    return; // stop() during backoff
                }
                backoff = backoff.multipliedBy(2).compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : backoff.multipliedBy(2);
                synchronized (this) {
                    if (!wanted || Thread.currentThread() != thread) {
                        return;
                    }
                    restarts++;
                }
            }
        }

        private Process spawn(Definition d) throws IOException {
            List<String> argv = new ArrayList<>();
            if (pdeathsig) {
                argv.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
            }
            argv.addAll(d.plan().argv());
            Path logs = config.stateDir().resolve("logs");
            Path state = config.stateDir().resolve("apps").resolve(id.app());
            Files.createDirectories(logs);
            Files.createDirectories(state);
            ProcessBuilder pb = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .redirectError(ProcessBuilder.Redirect.PIPE)
                    .directory(new java.io.File(d.plan().workingDir() == null ? "/" : d.plan().workingDir()));
            Map<String, String> env = pb.environment();
            env.clear(); // like systemd: nothing leaks from orchd's own environment
            env.put("PATH", DEFAULT_PATH);
            env.put("STATE_DIRECTORY", state.toAbsolutePath().toString());
            env.putAll(d.plan().env());
            staging.addTo(id, env);
            Process p = pb.start();
            // through orchd, not straight into the files: each line gets the time stamp that lets logs merge colors
            LogPump.start(p.getInputStream(), stdoutLog(id), id.baseName() + "-stdout");
            LogPump.start(p.getErrorStream(), stderrLog(id), id.baseName() + "-stderr");
            return p;
        }

        void stop() {
            Process p;
            Thread t;
            Duration grace;
            synchronized (this) {
                if (!wanted && process == null) {
                    return;
                }
                wanted = false;
                p = process;
                t = thread;
                thread = null;
                grace = Duration.ofSeconds(Math.max(1, definition.spec().template().terminationGracePeriodSeconds()));
                transition(ActiveState.DEACTIVATING, "stop-sigterm");
            }
            if (t != null) {
                t.interrupt(); // ends a backoff sleep
            }
            if (p != null) {
                List<ProcessHandle> children = p.descendants().toList();
                p.destroy(); // SIGTERM
                children.forEach(ProcessHandle::destroy);
                boolean exited = waitFor(p, grace);
                if (!exited) {
                    synchronized (this) {
                        transition(ActiveState.DEACTIVATING, "stop-sigkill");
                    }
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    waitFor(p, Duration.ofSeconds(10));
                }
                children.forEach(ProcessHandle::destroyForcibly);
                synchronized (this) {
                    exitCode = exited ? "exited" : "killed";
                    exitStatus = exited ? p.exitValue() : 9;
                }
            }
            if (t != null) {
                try {
                    t.join(TimeUnit.SECONDS.toMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            synchronized (this) {
                process = null;
                transition(ActiveState.INACTIVE, "dead");
            }
        }

        /** Caller holds the lock. */
        private void transition(ActiveState s, String subState) {
            InstanceStatus before = new InstanceStatus(id, installed, state, sub, 0, restarts, exitCode, exitStatus, since);
            if (state == s && Objects.equals(sub, subState)) {
                return;
            }
            state = s;
            sub = subState;
            since = Instant.now();
            InstanceStatus after = snapshot();
            for (Consumer<InstanceEvent> l : listeners) {
                try {
                    l.accept(new InstanceEvent(id, before, after));
                } catch (RuntimeException e) {
                    LOG.warnf(e, "state listener failed for %s", id);
                }
            }
        }
    }

    private static int waitUninterruptibly(Process p) {
        while (true) {
            try {
                return p.waitFor();
            } catch (InterruptedException e) {
                // only stop() interrupts, and it also ends the process; keep waiting for its status
            }
        }
    }

    private static boolean waitFor(Process p, Duration d) {
        try {
            return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }
}
