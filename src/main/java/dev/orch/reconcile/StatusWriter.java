package dev.orch.reconcile;

import dev.orch.state.ActualState;
import dev.orch.state.AppEvent;
import dev.orch.state.AuditEntry;
import dev.orch.state.Condition;
import dev.orch.state.ConditionStatus;
import dev.orch.state.ConditionType;
import dev.orch.state.EventListener;
import dev.orch.state.Reason;
import dev.orch.state.StateStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;

/**
 * The only writer of {@code actual.json}: per pass, the phase a plan persists before its side effect, then
 * the result once after it (nothing when nothing a reader could see changed). Also appends the pass's audit
 * entries and archives a removed app.
 */
public final class StatusWriter {
    /** The actor of orchd's own audit entries ({@code Actor.CONTROLLER}'s description; no import up into the intake). */
    static final String CONTROLLER = "controller orchd";

    private final StateStore store;
    private final Clock clock;
    private final EventListener events;

    public StatusWriter(StateStore store, Clock clock) {
        this(store, clock, EventListener.NONE);
    }

    public StatusWriter(StateStore store, Clock clock, EventListener events) {
        this.store = store;
        this.clock = clock;
        this.events = events;
    }

    /** Writes {@code next} and tells the listener of the events it holds that {@code previous} did not. */
    private void write(String app, ActualState previous, ActualState next) {
        store.writeActual(app, next);
        var old = new HashSet<>(previous == null ? java.util.List.of() : previous.events());
        for (AppEvent e : next.events()) {
            if (!old.contains(e)) {
                events.recorded(app, next, e);
            }
        }
    }

    /** The crash-resume point: written and synced before the effect runs. */
    public void before(String app, ActualState before) {
        write(app, store.readActual(app).orElse(null), before);
    }

    /** The pass's result; {@code written} is what is on disk now (the observation's, or the {@code before} write). */
    public void after(String app, ActualState written, Plan plan, ActualState after) {
        if (plan.effect() instanceof Effect.RemoveApp) {
            store.archive(app);
        } else if (after != null && !after.sameAs(written)) {
            write(app, written, after);
        }
        for (Plan.Audit a : plan.audits()) {
            store.appendAudit(new AuditEntry(clock.instant(), app, a.action(), a.cause(), new HashMap<>(a.details()), CONTROLLER));
        }
    }

    /** A failed pass: {@code Degraded=True} with the error (an event when the message is new), retried with backoff. */
    public void failed(String app, Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Reason reason = e instanceof ReconcileException re ? re.reason() : Reason.RECONCILE_ERROR;
        // a new app has no actual state before its first revision is prepared: its failure is recorded too
        store.readActual(app).or(() -> store.readDesired(app).map(d -> ActualState.EMPTY)).ifPresent(a -> {
            Condition old = a.condition(ConditionType.DEGRADED);
            ActualState next = a.withCondition(Condition.of(ConditionType.DEGRADED, ConditionStatus.TRUE, reason, msg, clock.instant()));
            if (old == null || old.status() != ConditionStatus.TRUE || !msg.equals(old.message())) {
                next = next.withEvent(AppEvent.warning(clock.instant(), reason, msg));
            }
            write(app, a, next);
        });
    }

    /**
     * A terminal failure: {@code Stalled=True} with the reason, recorded against the desired generation so the
     * planner does not try again until that changes.
     */
    public void stalled(String app, ActualState observed, long generation, TerminalException e) {
        ActualState next = observed.withObservedGeneration(generation)
                .withCondition(Condition.of(ConditionType.STALLED, ConditionStatus.TRUE, e.reason(), e.getMessage(), clock.instant()));
        Condition old = observed.condition(ConditionType.STALLED);
        if (old == null || old.status() != ConditionStatus.TRUE || !e.getMessage().equals(old.message())) {
            next = next.withEvent(AppEvent.warning(clock.instant(), e.reason(), e.getMessage()));
        }
        write(app, observed, next);
    }
}
