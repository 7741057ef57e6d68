package dev.orch.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What systemd asks for in the environment (sd_watchdog_enabled's rules). */
class SystemdWatchdogTest {
    @Test
    void theIntervalComesFromWatchdogUsecWhenItIsForThisProcess() {
        assertThat(SystemdWatchdog.requested(Map.of("WATCHDOG_USEC", "30000000"), 42)).contains(Duration.ofSeconds(30));
        assertThat(SystemdWatchdog.requested(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "42"), 42)).contains(Duration.ofSeconds(30));
        assertThat(SystemdWatchdog.requested(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "7"), 42)).as("meant for another process").isEmpty();
        assertThat(SystemdWatchdog.requested(Map.of(), 42)).isEmpty();
        assertThat(SystemdWatchdog.requested(Map.of("WATCHDOG_USEC", "0"), 42)).isEmpty();
        assertThat(SystemdWatchdog.requested(Map.of("WATCHDOG_USEC", "soon"), 42)).isEmpty();
    }
}
