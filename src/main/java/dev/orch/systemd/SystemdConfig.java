package dev.orch.systemd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the systemd driver reaches its manager.
 *
 * @param scope system or user manager
 * @param root how orchd sees the manager's file system: {@code /} normally, {@code /proc/<pid>/root} for a
 *     manager in another mount namespace (tests)
 * @param unitDir unit directory as the manager sees it
 * @param envDir directory of the mode-0600 environment files as the manager sees it
 * @param commandPrefix argv put before every {@code systemctl}/{@code systemd-analyze} call, e.g.
 *     {@code nsenter -t <pid> -m -p}; empty normally
 */
public record SystemdConfig(Scope scope, Path root, String unitDir, String envDir, List<String> commandPrefix) {
    public static final String SYSTEM_UNIT_DIR = "/etc/systemd/system";
    public static final String SYSTEM_ENV_DIR = "/var/lib/orchd/env";
    /** Opened secrets: /run is a tmpfs, so they never reach persistent disk. */
    public static final String SYSTEM_SECRETS_DIR = "/run/orch/secrets";

    public SystemdConfig {
        commandPrefix = List.copyOf(commandPrefix);
        UnitRenderer.requireSafePath(unitDir, "unitDir");
        UnitRenderer.requireSafePath(envDir, "envDir");
    }

    public static SystemdConfig system() {
        return new SystemdConfig(Scope.SYSTEM, Path.of("/"), SYSTEM_UNIT_DIR, SYSTEM_ENV_DIR, List.of());
    }

    /** {@code systemctl --user}, units in {@code ~/.config/systemd/user}. */
    public static SystemdConfig user(Path home) {
        String h = home.toAbsolutePath().toString();
        return new SystemdConfig(Scope.USER, Path.of("/"), h + "/.config/systemd/user", h + "/.config/orch/env", List.of());
    }

    /** Where opened secrets go, as the manager sees it: under /run, or the user manager's runtime directory. */
    public String secretsDir() {
        if (scope == Scope.USER) {
            String xdg = System.getenv("XDG_RUNTIME_DIR");
            return xdg != null && xdg.startsWith("/") ? xdg + "/orch/secrets" : envDir + "/../secrets";
        }
        return SYSTEM_SECRETS_DIR;
    }

    public SystemdConfig withEnvDir(String dir) {
        return new SystemdConfig(scope, root, unitDir, dir, commandPrefix);
    }

    /**
     * The manager's private D-Bus socket as orchd can open it: {@code /run/systemd/private}, or for a user manager
     * {@code $XDG_RUNTIME_DIR/systemd/private} ({@code /run/user/<uid>} when unset).
     */
    public Path privateSocket() {
        if (scope == Scope.SYSTEM) {
            return hostPath("/run/systemd/private");
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime == null || !runtime.startsWith("/")) {
            runtime = "/run/user/" + new com.sun.security.auth.module.UnixSystem().getUid();
        }
        return hostPath(runtime + "/systemd/private");
    }

    /** A path the manager sees, as orchd can open it. */
    public Path hostPath(String managerPath) {
        return root.resolve(managerPath.substring(1));
    }

    public List<String> systemctl(String... args) {
        return command("systemctl", args);
    }

    public List<String> command(String tool, String... args) {
        List<String> argv = new ArrayList<>(commandPrefix);
        argv.add(tool);
        if (scope == Scope.USER && (tool.equals("systemctl") || tool.equals("systemd-analyze") || tool.equals("journalctl"))) {
            argv.add("--user");
        }
        argv.addAll(List.of(args));
        return argv;
    }
}
