package dev.orch.systemd;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Talks to systemd's notification socket (Type=notify, the watchdog) with systemd's own {@code systemd-notify}.
 * orchd runs as root, so {@code --pid} makes each message carry orchd's own PID: systemd attributes it to the
 * main process even though the helper exits at once (the race that makes a plain {@code systemd-notify} from
 * a child unreliable). Does nothing when not started by systemd ({@code NOTIFY_SOCKET} unset).
 */
public final class SystemdNotify {
    private static final Logger LOG = Logger.getLogger(SystemdNotify.class);

    private SystemdNotify() {}

    public static boolean enabled() {
        return System.getenv("NOTIFY_SOCKET") != null;
    }

    /** READY=1 with a status line. */
    public static void ready() {
        send("--ready", "--status=serving");
    }

    /** Sends {@code VARIABLE=VALUE} assignments (e.g. {@code WATCHDOG=1}) or systemd-notify options. */
    public static void send(String... args) {
        if (!enabled()) {
            return;
        }
        List<String> argv = new ArrayList<>(List.of("systemd-notify", "--pid=" + ProcessHandle.current().pid()));
        argv.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.warnf("%s did not finish in 10 s", argv);
            } else if (p.exitValue() != 0) {
                LOG.warnf("%s did not succeed: %s", argv, new String(p.getInputStream().readAllBytes()).strip());
            }
        } catch (IOException e) {
            LOG.warnf("cannot run systemd-notify: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
