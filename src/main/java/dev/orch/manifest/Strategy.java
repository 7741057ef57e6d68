package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

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
     */
    @RegisterForReflection
    public record BlueGreen(boolean autoPromote, int keepWarmSeconds) {
        public static final int DEFAULT_KEEP_WARM_SECONDS = 300;
        public static final BlueGreen DEFAULT = new BlueGreen(true, DEFAULT_KEEP_WARM_SECONDS);
    }
}
