package dev.orch.reconcile;

import dev.orch.state.Rollout;
import dev.orch.state.RolloutPhase;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Fault injection for the crash tests, as a decorator: once a rollout's {@code phase} is on disk, sleep before
 * the next effect (a window to kill -9 orchd there). Wired only when {@code orch.test.pause-after} is set.
 */
public final class PausingExecutor implements Executor {
    private static final Logger LOG = Logger.getLogger(PausingExecutor.class);

    private final Executor inner;
    private final RolloutPhase phase;
    private final Duration pause;
    /** Each rollout pauses once per phase, not on every pass that waits in it. */
    private final Set<String> paused = ConcurrentHashMap.newKeySet();

    public PausingExecutor(Executor inner, RolloutPhase phase, Duration pause) {
        this.inner = inner;
        this.phase = phase;
        this.pause = pause;
    }

    /** Parses {@code Phase:duration}, e.g. {@code Starting:5s}. */
    public static PausingExecutor parse(Executor inner, String spec) {
        String[] parts = spec.split(":");
        return new PausingExecutor(inner, RolloutPhase.fromWire(parts[0]), Duration.parse("PT" + parts[1].toUpperCase()));
    }

    @Override
    public Outcome perform(Observation o, Plan plan) {
        Rollout onDisk = plan.before() != null ? plan.before().rollout() : o.stored().rollout();
        if (onDisk != null && onDisk.phase() == phase && paused.add(o.app() + "/" + onDisk.targetRevision() + "/" + onDisk.targetColor())) {
            LOG.warnf("fault injection: pausing %s after phase %s", pause, phase.wire());
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return inner.perform(o, plan);
    }
}
