package dev.orch.systemd;

import java.time.Instant;

/**
 * What a driver observes about one instance right now.
 *
 * @param installed whether a definition (unit file) exists for it
 * @param activeState high-level state
 * @param subState driver-specific detail (systemd's SubState, e.g. {@code running}, {@code auto-restart})
 * @param mainPid pid of the main process in the manager's pid namespace, 0 when none
 * @param restarts automatic restarts since the instance was last started by hand (systemd's NRestarts)
 * @param exitCode how the last main process ended: {@code exited}, {@code killed}, {@code dumped}, or null
 * @param exitStatus exit status (exited) or signal number (killed/dumped) of the last main process, or null
 * @param since when the active state last changed, or null when unknown
 */
public record InstanceStatus(
        InstanceId id,
        boolean installed,
        ActiveState activeState,
        String subState,
        long mainPid,
        int restarts,
        String exitCode,
        Integer exitStatus,
        Instant since) {

    public boolean running() {
        return activeState == ActiveState.ACTIVE && mainPid > 0;
    }
}
