package dev.orch.reconcile;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleSupplier;

/**
 * Per-app exponential backoff for failed reconciles: base * 2^(failures-1), capped, with +-20 % jitter so
 * many apps failing on the same cause (git down, systemd busy) do not retry in lock-step.
 */
public final class Backoff {
    private static final double JITTER = 0.2;

    private final Duration base;
    private final Duration cap;
    private final DoubleSupplier random;
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();

    public Backoff(Duration base, Duration cap, DoubleSupplier random) {
        this.base = base;
        this.cap = cap;
        this.random = random;
    }

    /** Records one more failure of {@code app} and returns how long to wait before the retry. */
    public Duration nextDelay(String app) {
        int n = failures.merge(app, 1, Integer::sum);
        double raw = base.toMillis() * Math.pow(2, Math.min(n - 1, 30));
        double capped = Math.min(raw, cap.toMillis());
        double jittered = capped * (1 - JITTER + 2 * JITTER * random.getAsDouble());
        return Duration.ofMillis(Math.max(1, Math.round(jittered)));
    }

    public int failures(String app) {
        return failures.getOrDefault(app, 0);
    }

    /** A success resets the app's backoff. */
    public void forget(String app) {
        failures.remove(app);
    }
}
