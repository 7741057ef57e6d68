package dev.orch.systemd;

import java.util.List;

/**
 * @param changed instances whose definition was written because it was missing or differed (hand edits included)
 * @param unchanged instances whose definition already matched byte for byte
 * @param reloaded whether the manager was reloaded (once, however many files changed)
 */
public record InstallResult(List<InstanceId> changed, List<InstanceId> unchanged, boolean reloaded) {
    public InstallResult {
        changed = List.copyOf(changed);
        unchanged = List.copyOf(unchanged);
    }
}
