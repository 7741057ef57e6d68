package dev.orch.systemd;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything the reconciler needs from a service manager. Implementations: {@link SystemdDriver} (units under
 * systemd, system or user scope) and {@link ProcessDriver} (supervised child processes where systemd is not PID
 * 1). Methods throw {@link DriverException} when the manager refuses or cannot be reached.
 */
public interface ServiceDriver extends AutoCloseable {
    /** {@code systemd} or {@code process}. */
    String kind();

    /**
     * Writes each instance's definition atomically if it is missing or differs (so a hand-edited unit is
     * rewritten), then reloads the manager once for the whole batch. Does not start or restart anything.
     */
    InstallResult install(List<ServiceSpec> specs);

    /**
     * Whether the instance's definition exists and is exactly what {@link #install} would write for
     * {@code spec} (false after a hand edit). Reads only; changes nothing.
     */
    boolean isCurrent(ServiceSpec spec);

    /**
     * Writes a color's opened secrets where its instances read them (a root-only tmpfs directory under systemd),
     * before its install or start; an empty payload removes them. Never logged, never persisted by orch.
     *
     * @return a warning for the app's status when the secrets had to go to persistent disk, else null
     */
    default String stageSecrets(String app, dev.orch.state.Color color, SecretPayload secrets) {
        if (!secrets.isEmpty()) {
            throw new DriverException("the " + kind() + " driver cannot deliver secrets", null);
        }
        return null;
    }

    void start(InstanceId id);

    /**
     * Stops gracefully: SIGTERM, then SIGKILL after the template's termination grace period. An instance that is
     * not installed is stopped already: success, so an abort of a color that was never installed cannot fail.
     */
    void stop(InstanceId id);

    void restart(InstanceId id);

    InstanceStatus status(InstanceId id);

    /** The instance's last {@code lines} log lines, oldest first (empty where the driver keeps no log). */
    default List<String> lastLogLines(InstanceId id, int lines) {
        return List.of();
    }

    /** How the instance's last main process ended (e.g. {@code exited with status 3}) from the manager's log; empty if unknown. */
    default String lastExit(InstanceId id) {
        return "";
    }

    /** Instances whose definition carries orch's marker; units without it are never listed (nor touched). */
    List<InstalledInstance> list();

    /** Stops the instances and deletes their definitions, with one reload for the batch. Unknown ids are ignored. */
    void remove(List<InstanceId> ids);

    /**
     * Calls the listener (on a driver thread) whenever an orch instance's state changes. The systemd driver polls
     * every {@code interval}; the process driver additionally reports its own transitions immediately.
     */
    Subscription watch(Consumer<InstanceEvent> listener, Duration interval);

    @Override
    void close();

    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
