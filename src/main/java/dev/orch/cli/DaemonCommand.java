package dev.orch.cli;

import dev.orch.Daemon;
import dev.orch.config.ClientConfig;
import dev.orch.config.ConfigFiles;
import io.quarkus.runtime.Quarkus;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The server face. Settings that decide what Quarkus binds must be in place before {@code Quarkus.run},
 * so they become system properties here; the state-dir lock is taken before boot too, so a second daemon
 * fails with a clear message instead of fighting over the socket.
 */
@Command(name = "daemon", description = "Run orchd: the API, metrics and the control loop (what bin/orchd runs).")
public class DaemonCommand implements Callable<Integer> {
    @Option(names = "--state-dir", paramLabel = "DIR", description = "State directory (default: orch.state-dir, /var/lib/orchd).")
    Path stateDir;

    @Option(names = "--config", paramLabel = "FILE", description = "Config file (default: $ORCH_CONFIG or /etc/orchd/orchd.properties).")
    Path config;

    @Option(names = "--router", description = "Run only the apps' public routes, for orchd to drive (what orch-router.service runs).")
    boolean router;

    @Override
    public Integer call() {
        if (config != null) {
            System.setProperty(ConfigFiles.PROPERTY, config.toAbsolutePath().toString());
        }
        if (stateDir != null) {
            System.setProperty("orch.state-dir", stateDir.toAbsolutePath().normalize().toString());
        }
        ClientConfig cfg = ClientConfig.load();
        if (router) {
            // orch-router takes from the shared config file only what it needs, as system properties: loading the
            // whole file would give it orchd's ports (a config.locations file outranks system properties)
            System.setProperty("orch.role", "router");
            System.setProperty("orch.state-dir", cfg.stateDir().toString());
            System.setProperty("orch.route.socket", cfg.routerSocket().toString());
            System.setProperty("quarkus.management.host", cfg.managementHost());
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("quarkus.http.domain-socket", cfg.routerSocket().toString());
            System.setProperty("quarkus.management.port", Integer.toString(cfg.routerMetricsPort()));
            if (!lock(cfg.stateDir(), cfg.routerSocket(), "router")) {
                return 1;
            }
        } else {
            ConfigFiles.existing().ifPresent(f -> System.setProperty("quarkus.config.locations", f.toUri().toString()));
            tls(cfg);
            if (!lock(cfg.stateDir(), cfg.apiSocket(), "orchd")) {
                return 1;
            }
        }
        Quarkus.run(Daemon.class, (code, failure) -> {
            if (failure != null) {
                System.err.println((router ? "orch-router" : "orchd") + ": cannot start: " + StartupFailure.describe(failure));
            }
            System.exit(code);
        });
        return 0;
    }

    /**
     * The TCP listener over TLS: Quarkus' HTTPS server takes the API port and plain HTTP on TCP is turned off (the
     * unix socket stays plain; its file permissions guard it). Both files or neither.
     */
    private static void tls(ClientConfig cfg) {
        if (cfg.tlsCertFile().isEmpty() && cfg.tlsKeyFile().isEmpty()) {
            return;
        }
        if (cfg.tlsCertFile().isEmpty() || cfg.tlsKeyFile().isEmpty()) {
            throw new CliException("orch.api.tcp.tls.cert-file and orch.api.tcp.tls.key-file go together: set both or neither");
        }
        System.setProperty("quarkus.http.ssl.certificate.files", cfg.tlsCertFile().get().toString());
        System.setProperty("quarkus.http.ssl.certificate.key-files", cfg.tlsKeyFile().get().toString());
        System.setProperty("quarkus.http.ssl-port", Integer.toString(cfg.tcpPort()));
        System.setProperty("quarkus.http.insecure-requests", "disabled");
    }

    /** The state-dir lock, or one line on stderr that says why not (the journal shows it as the cause of the exit). */
    private static boolean lock(Path stateDir, Path socket, String role) {
        try {
            StateDirLock.acquire(stateDir, socket, role);
            return true;
        } catch (CliException e) {
            System.err.println((role.equals("router") ? "orch-router" : "orchd") + ": cannot start: " + e.getMessage().replace('\n', ' '));
            return false;
        }
    }
}
