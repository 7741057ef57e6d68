package dev.orch.systemd;

import java.nio.file.Path;
import java.time.Duration;

/**
 * @param stateDir where logs ({@code logs/<instance>.stdout.log}, {@code .stderr.log}) and per-app state
 *     directories ({@code apps/<app>}, given to the process as {@code STATE_DIRECTORY}) live
 * @param initialBackoff delay before the first automatic restart; doubles per consecutive crash
 * @param maxBackoff upper bound of that delay; a process that ran this long resets it
 */
public record ProcessDriverConfig(Path stateDir, Duration initialBackoff, Duration maxBackoff) {
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);

    public static ProcessDriverConfig defaults(Path stateDir) {
        return new ProcessDriverConfig(stateDir, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
    }
}
