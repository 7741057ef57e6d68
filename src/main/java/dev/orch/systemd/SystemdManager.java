package dev.orch.systemd;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The service manager's verbs as {@link SystemdDriver} uses them, so the unit files stay the driver's business
 * and the transport is chosen at start-up: {@link DbusManager} (jobs awaited through {@code JobRemoved}, change
 * signals) or {@link SystemctlManager} (the {@code systemctl} command, polled). Methods throw
 * {@link DriverException} when the manager refuses or cannot be reached.
 */
public interface SystemdManager extends AutoCloseable {
    /** {@code dbus} or {@code systemctl}, for the start-up log and docs. */
    String transport();

    void reload();

    /**
     * Whether the manager has the unit loaded (so a changed file of it needs a reload). A unit it has not loaded
     * is read from its file when first started. Unsure (this transport cannot tell cheaply): true.
     */
    default boolean loaded(String unit) {
        return true;
    }

    /** Returns once the start job has finished; a failed job throws. */
    void start(String unit);

    /** Returns once stopped; a unit the manager does not know is stopped already (success). */
    void stop(String unit);

    void restart(String unit);

    /** Clears the manager's memory of failures; best effort. */
    void resetFailed(List<String> units);

    /**
     * {@link SystemdDriver#PROPERTIES} of each unit, keyed by unit name, with values spelled as
     * {@code systemctl show --timestamp=unix} prints them.
     */
    Map<String, Map<String, String>> show(List<String> units);

    /** Calls {@code changed} with a unit's name whenever its state may have changed; empty if this transport cannot. */
    Optional<AutoCloseable> onChange(Consumer<String> changed);

    @Override
    void close();
}
