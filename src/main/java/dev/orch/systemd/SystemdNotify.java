package dev.orch.systemd;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Tells systemd that orchd is ready (Type=notify) with systemd's own {@code systemd-notify}. orchd runs as
 * root, so {@code --pid} makes the message carry orchd's own PID: systemd attributes it to the main process
 * even though the helper exits at once (the race that makes a plain {@code systemd-notify} from a child
 * unreliable). Does nothing when not started by systemd ({@code NOTIFY_SOCKET} unset).
 */
public final class SystemdNotify {
    private static final Logger LOG = Logger.getLogger(SystemdNotify.class);

    private SystemdNotify() {}

    public static void ready() {
        if (System.getenv("NOTIFY_SOCKET") == null) {
            return;
        }
        List<String> argv = List.of("systemd-notify", "--ready", "--pid=" + ProcessHandle.current().pid(), "--status=serving");
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                LOG.warnf("systemd-notify --ready did not succeed: %s", new String(p.getInputStream().readAllBytes()).strip());
            }
        } catch (IOException e) {
            LOG.warnf("cannot run systemd-notify: %s", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
