package dev.orch.metrics;

import dev.orch.reconcile.ReconcileHooks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The control loop's meters, Prometheus-named: {@code orch_rollouts_total{app,result,reason}},
 * {@code orch_drift_corrections_total{app,kind}}, {@code orch_reconcile_duration_seconds{result}} (a
 * histogram; its {@code _count} is the number of reconciles by result) and {@code orch_work_queue_depth}.
 */
public final class ControlLoopMetrics implements ReconcileHooks {
    private final MeterRegistry registry;
    private final java.util.function.Consumer<String> afterReconcile;

    public ControlLoopMetrics(MeterRegistry registry, Supplier<Number> queueDepth) {
        this(registry, queueDepth, app -> {});
    }

    /** @param afterReconcile called with the app after each reconcile (refreshes the per-app gauges) */
    public ControlLoopMetrics(MeterRegistry registry, Supplier<Number> queueDepth, java.util.function.Consumer<String> afterReconcile) {
        this.registry = registry;
        this.afterReconcile = afterReconcile;
        io.micrometer.core.instrument.Gauge.builder("orch_work_queue_depth", queueDepth, s -> s.get().doubleValue())
                .description("Apps waiting in the work queue to be reconciled").strongReference(true).register(registry);
    }

    @Override
    public void rolloutEnded(String app, String result, String reason) {
        Counter.builder("orch_rollouts").description("Rollouts that ended, by result (complete, aborted, rolled_back) and reason")
                .tags("app", app, "result", result, "reason", reason).register(registry).increment();
    }

    @Override
    public void driftCorrected(String app, String kind) {
        Counter.builder("orch_drift_corrections").description("Changes made outside orch that orch corrected")
                .tags("app", app, "kind", kind).register(registry).increment();
    }

    @Override
    public void reconciled(String app, String result, long durationNanos) {
        Timer.builder("orch_reconcile_duration").description("Duration of one reconcile, by result (success, requeue, error)")
                .tags("result", result)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(durationNanos, TimeUnit.NANOSECONDS);
        afterReconcile.accept(app);
    }
}
