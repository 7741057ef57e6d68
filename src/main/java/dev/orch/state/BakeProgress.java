package dev.orch.state;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * How far the bake window of a switched rollout has come (persisted, so a daemon restart resumes it).
 *
 * @param windowStart when the window being counted began
 * @param windowMark the new color's route counts at {@code windowStart}
 * @param baselineP99Millis the old color's p99 from the start of the rollout to the switch; null without traffic
 *     (then latency is not judged)
 * @param windows windows judged so far
 * @param failures windows that broke a limit
 * @param lastFailure the evidence of the last failed window (limit, measured value, threshold, window); null if none
 * @param passed the bake ended without reaching the failure limit
 */
@RegisterForReflection
public record BakeProgress(Instant windowStart, Traffic windowMark, Long baselineP99Millis, int windows, int failures, String lastFailure,
        boolean passed) {

    public BakeProgress next(Instant start, Traffic mark, String failure) {
        return new BakeProgress(start, mark, baselineP99Millis, windows + 1, failures + (failure == null ? 0 : 1),
                failure == null ? lastFailure : failure, false);
    }

    public BakeProgress pass() {
        return new BakeProgress(windowStart, windowMark, baselineP99Millis, windows, failures, lastFailure, true);
    }
}
