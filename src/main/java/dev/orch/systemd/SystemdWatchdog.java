package dev.orch.systemd;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * systemd's watchdog (WatchdogSec= in orchd.service): pings WATCHDOG=1 at half the interval systemd asks for,
 * but only while {@code stalled} reports no problem. A wedged control loop therefore stops the pings and systemd
 * restarts orchd (Restart=on-failure covers watchdog timeouts); the apps, separate units, keep running.
 */
public final class SystemdWatchdog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SystemdWatchdog.class);

    private final ScheduledExecutorService timer;
    private final Supplier<Optional<String>> stalled;
    private volatile String reported;

    private SystemdWatchdog(Duration interval, Supplier<Optional<String>> stalled) {
        this.stalled = stalled;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("orch-watchdog").daemon(true).unstarted(r));
        long period = Math.max(1, interval.toMillis() / 2);
        timer.scheduleAtFixedRate(this::tick, 0, period, TimeUnit.MILLISECONDS);
        LOG.infof("systemd watchdog: %s, pinging every %d ms while the control loop makes progress", interval, period);
    }

    /** The interval systemd asked for through WATCHDOG_USEC (and WATCHDOG_PID, when set, names this process). */
    static Optional<Duration> requested(Map<String, String> env, long pid) {
        String usec = env.get("WATCHDOG_USEC");
        String forPid = env.get("WATCHDOG_PID");
        if (usec == null || (forPid != null && !forPid.equals(Long.toString(pid)))) {
            return Optional.empty();
        }
        try {
            long v = Long.parseLong(usec.strip());
            return v > 0 ? Optional.of(Duration.ofNanos(v * 1000)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Starts pinging when systemd runs orchd with a watchdog; otherwise returns empty and does nothing. */
    public static Optional<SystemdWatchdog> start(Supplier<Optional<String>> stalled) {
        if (!SystemdNotify.enabled()) {
            return Optional.empty();
        }
        return requested(System.getenv(), ProcessHandle.current().pid()).map(interval -> new SystemdWatchdog(interval, stalled));
    }

    private void tick() {
        try {
            Optional<String> problem = stalled.get();
            if (problem.isPresent()) {
                if (!problem.get().equals(reported)) {
                    reported = problem.get();
                    LOG.errorf("watchdog: not pinging systemd, the control loop is stalled: %s", reported);
                    SystemdNotify.send("--status=stalled: " + reported);
                }
                return;
            }
            if (reported != null) {
                LOG.infof("watchdog: the control loop makes progress again");
                reported = null;
                SystemdNotify.send("--status=serving");
            }
            SystemdNotify.send("WATCHDOG=1");
        } catch (RuntimeException e) {
            LOG.warnf(e, "watchdog tick failed");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
