package dev.orch.reconcile;

import dev.orch.state.ActualState;
import dev.orch.state.StatusInbox;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * One pass over one app: take its inbox, observe, plan, persist the plan's "before" phase, perform the one
 * effect, persist the result. The phase is written before each side effect, so a crash at any point resumes
 * at a step that is safe to repeat (installing, starting, switching and stopping are all idempotent).
 */
public final class Reconciler implements ReconcileView {
    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    private final StatusInbox inbox;
    private final Observer observer;
    private final Executor executor;
    private final StatusWriter status;
    private final ReconcileHooks hooks;
    /** The last observation of each app, for status and metrics (readiness per color). */
    private final Map<String, Observation> lastObserved = new ConcurrentHashMap<>();

    public Reconciler(StatusInbox inbox, Observer observer, Executor executor, StatusWriter status, ReconcileHooks hooks) {
        this.inbox = inbox;
        this.observer = observer;
        this.executor = executor;
        this.status = status;
        this.hooks = hooks;
    }

    /** Runs one pass; throws when the pass failed and should be retried with backoff (recorded as Degraded). */
    public Result reconcile(String app) {
        List<UnaryOperator<ActualState>> pending = inbox.take(app);
        Observation o = null;
        boolean persisted = false;
        try {
            o = observer.observe(app, pending);
            remember(o);
            Plan plan = Planner.plan(o);
            if (!(plan.effect() instanceof Effect.None)) {
                LOG.debugf("%s: %s", app, plan.effect());
            }
            ActualState written = o.stored();
            if (plan.before() != null) {
                status.before(app, plan.before());
                written = plan.before();
                persisted = true; // the inbox changes are on disk now
            }
            Executor.Outcome outcome = executor.perform(o, plan);
            status.after(app, written, plan, withOutcome(plan, outcome));
            plan.signals().forEach(s -> signal(app, s));
            return plan.result();
        } catch (TerminalException e) {
            LOG.warnf("%s: stalled: %s", app, e.getMessage());
            if (o != null && o.desired() != null) {
                status.stalled(app, o.actual(), o.desired().generation(), e);
                return new Result.Terminal(e.reason(), e.getMessage());
            }
            if (!persisted) {
                inbox.putBack(app, pending);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            if (!persisted) {
                inbox.putBack(app, pending); // the status changes it took are applied by the retry
            }
            throw e;
        }
    }

    /** Records a failed pass on the app (Degraded), on what is on disk now. */
    public void recordFailure(String app, Throwable e) {
        try {
            status.failed(app, e);
        } catch (RuntimeException ignored) {
            // the state store itself failing is logged by the caller
        }
    }

    private static ActualState withOutcome(Plan plan, Executor.Outcome outcome) {
        if (plan.effect() instanceof Effect.PrepareRevision p && outcome.ports() != null) {
            return plan.after().withColor(p.color(), plan.after().color(p.color()).withPorts(outcome.ports()));
        }
        return plan.after();
    }

    private void signal(String app, Plan.Signal s) {
        switch (s.kind()) {
            case ROLLOUT_ENDED -> hooks.rolloutEnded(app, s.result(), s.reason());
            case DRIFT_CORRECTED -> hooks.driftCorrected(app, s.result());
        }
    }

    private void remember(Observation o) {
        if (o.desired() == null) {
            lastObserved.remove(o.app());
        } else {
            lastObserved.put(o.app(), o);
        }
    }

    @Override
    public Optional<Observation> lastObservation(String app) {
        return Optional.ofNullable(lastObserved.get(app));
    }
}
