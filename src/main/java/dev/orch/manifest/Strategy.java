package dev.orch.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * How a new revision replaces the live one. Only {@code BlueGreen} exists.
 *
 * @param type always {@code BlueGreen}
 */
@RegisterForReflection
public record Strategy(String type, BlueGreen blueGreen) {
    public static final String BLUE_GREEN = "BlueGreen";
    public static final Strategy DEFAULT = new Strategy(BLUE_GREEN, BlueGreen.DEFAULT);

    /**
     * @param autoPromote switch the route as soon as the new color is ready; false waits for
     *     {@code orchctl rollout promote}
     * @param keepWarmSeconds how long the old color keeps running after a switch, for an instant {@code switch} back
     * @param bake how the new color's real traffic is judged after the switch
     * @param crashLoopRestarts automatic restarts of the new color before it is ready that abort the rollout as
     *     {@code CrashLoop} (as systemd's start limit counts 5 starts); 0 leaves it to the progress deadline
     * @param smokeChecks HTTP requests sent to the new color once it is ready, before the switch; any answer without its
     *     expected status aborts the rollout as {@code SmokeCheckFailed}; null when none (and then not rendered)
     */
    @RegisterForReflection
    public record BlueGreen(boolean autoPromote, int keepWarmSeconds, Bake bake, int crashLoopRestarts,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SmokeCheck> smokeChecks) {
        public static final int DEFAULT_KEEP_WARM_SECONDS = 300;
        public static final int DEFAULT_CRASH_LOOP_RESTARTS = 5;
        public static final BlueGreen DEFAULT = new BlueGreen(true, DEFAULT_KEEP_WARM_SECONDS, Bake.DEFAULT, DEFAULT_CRASH_LOOP_RESTARTS);

        public BlueGreen {
            bake = bake == null ? Bake.DEFAULT : bake;
            smokeChecks = smokeChecks == null || smokeChecks.isEmpty() ? null : List.copyOf(smokeChecks);
        }

        public BlueGreen(boolean autoPromote, int keepWarmSeconds, Bake bake, int crashLoopRestarts) {
            this(autoPromote, keepWarmSeconds, bake, crashLoopRestarts, null);
        }

        /** The smoke checks, empty when none. */
        public List<SmokeCheck> smokeChecksOrNone() {
            return smokeChecks == null ? List.of() : smokeChecks;
        }

        public BlueGreen(boolean autoPromote, int keepWarmSeconds) {
            this(autoPromote, keepWarmSeconds, Bake.DEFAULT, DEFAULT_CRASH_LOOP_RESTARTS);
        }
    }

    /**
     * The bake window after a switch: the route's counts of the new color are judged every {@code intervalSeconds}
     * for {@code durationSeconds}; {@code failureLimit} failed intervals flip the route back to the old color,
     * which stays warm until then. Defaults as in Flagger's analysis (1 % errors, checks every 30 s).
     *
     * @param durationSeconds how long after the switch the new color is judged; 0 turns the bake off
     * @param intervalSeconds the length of one judged window
     * @param max5xxPercent the most 5xx answers a window may have, in percent of its requests
     * @param maxP99Ratio the most a window's p99 latency may be, as a multiple of the old color's p99 before the switch
     * @param failureLimit failed windows that fail the bake (the flip back happens when this many have failed)
     */
    @RegisterForReflection
    public record Bake(int durationSeconds, int intervalSeconds, double max5xxPercent, double maxP99Ratio, int failureLimit) {
        public static final Bake DEFAULT = new Bake(300, 30, 1, 2, 2);
        public static final Bake OFF = new Bake(0, 30, 1, 2, 2);

        public boolean enabled() {
            return durationSeconds > 0;
        }
    }
}
