package dev.orch.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * How a new revision replaces the live one: {@code BlueGreen} (the default) or {@code Canary}.
 *
 * @param type {@code BlueGreen} or {@code Canary}
 * @param blueGreenSpec the blue/green settings as written ({@code blueGreen}); null under a canary
 * @param canary the canary steps; null for blue/green
 */
@RegisterForReflection
public record Strategy(String type, @JsonProperty("blueGreen") BlueGreen blueGreenSpec, Canary canary) {
    public static final String BLUE_GREEN = "BlueGreen";
    public static final String CANARY = "Canary";
    public static final Strategy DEFAULT = new Strategy(BLUE_GREEN, BlueGreen.DEFAULT);

    public Strategy(String type, BlueGreen blueGreen) {
        this(type, blueGreen, null);
    }

    /** Under a canary: keep-warm and the crash-loop limit are blue/green's defaults, without a bake (the analysis judged the steps). */
    static final BlueGreen UNDER_CANARY = new BlueGreen(true, BlueGreen.DEFAULT_KEEP_WARM_SECONDS, Bake.OFF, BlueGreen.DEFAULT_CRASH_LOOP_RESTARTS);

    public static Strategy canary(Canary canary) {
        return new Strategy(CANARY, null, canary);
    }

    /** The blue/green settings the rollout uses: as written, or {@link #UNDER_CANARY} (never null). */
    public BlueGreen blueGreen() {
        return blueGreenSpec != null ? blueGreenSpec : canary != null ? UNDER_CANARY : BlueGreen.DEFAULT;
    }

    /**
     * Argo Rollouts' canary: the route sends {@code setWeight} percent of the requests to the new color, sticky per
     * client, step after step; {@code analysis} judges the new color's counts during the steps as the bake does.
     *
     * @param steps the steps, in order; after the last one the new color takes 100 %
     * @param analysis the limits (the bake's) the new color is judged by every {@code intervalSeconds} during the steps
     */
    @RegisterForReflection
    public record Canary(java.util.List<Step> steps, Analysis analysis) {
        public Canary {
            steps = java.util.List.copyOf(steps);
            analysis = analysis == null ? Analysis.DEFAULT : analysis;
        }
    }

    /**
     * The bake's limits, judged during a canary's steps.
     *
     * @param enabled false: nothing is judged
     */
    @RegisterForReflection
    public record Analysis(boolean enabled, int intervalSeconds, double max5xxPercent, double maxP99Ratio, int failureLimit) {
        public static final Analysis DEFAULT = new Analysis(true, Bake.DEFAULT.intervalSeconds(), Bake.DEFAULT.max5xxPercent(),
                Bake.DEFAULT.maxP99Ratio(), Bake.DEFAULT.failureLimit());
        public static final Analysis OFF = new Analysis(false, DEFAULT.intervalSeconds, DEFAULT.max5xxPercent, DEFAULT.maxP99Ratio, DEFAULT.failureLimit);

        /** As the bake's record, for its judging code (its duration only says on or off). */
        public Bake limits() {
            return new Bake(enabled ? Integer.MAX_VALUE : 0, intervalSeconds, max5xxPercent, maxP99Ratio, failureLimit);
        }
    }

    /**
     * One canary step, as the manifest writes it: {@code {setWeight: 10}} or {@code {pause: {durationSeconds: 60}}}
     * / {@code {pause: {}}}.
     *
     * @param setWeight 0 to 100, or null for a pause
     * @param pause the pause, or null for a weight
     */
    @RegisterForReflection
    public record Step(Integer setWeight, Pause pause) {
        public static Step weight(int percent) {
            return new Step(percent, null);
        }

        public static Step pauseFor(Integer seconds) {
            return new Step(null, new Pause(seconds));
        }

        /** @param durationSeconds how long the pause lasts; null waits for {@code orchctl rollout promote} */
        @RegisterForReflection
        public record Pause(Integer durationSeconds) {}
    }

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
