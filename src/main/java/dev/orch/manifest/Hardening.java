package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * systemd sandboxing of a color's unit. Every field has a strict default ({@link #DEFAULTS}); a manifest
 * overrides single fields under {@code spec.template.hardening}.
 *
 * @param protectSystem {@code strict}, {@code full}, {@code true} or {@code false}
 * @param protectHome {@code true}, {@code read-only}, {@code tmpfs} or {@code false}
 * @param readWritePaths absolute paths writable despite {@code ProtectSystem=strict}
 */
@RegisterForReflection
public record Hardening(
        boolean noNewPrivileges,
        String protectSystem,
        String protectHome,
        boolean privateTmp,
        boolean privateDevices,
        boolean protectKernelTunables,
        boolean protectKernelModules,
        boolean protectKernelLogs,
        boolean protectControlGroups,
        boolean restrictSUIDSGID,
        List<String> readWritePaths) {
    public static final Hardening DEFAULTS =
            new Hardening(true, "strict", "true", true, true, true, true, true, true, true, List.of());

    public Hardening {
        readWritePaths = readWritePaths == null ? List.of() : List.copyOf(readWritePaths);
    }
}
