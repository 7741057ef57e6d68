package dev.orch.state;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What orch believes is deployed for one app ({@code apps/<app>/actual.json}). Immutable: the {@code with...}
 * methods return changed copies that the reconciler persists with {@link StateStore#writeActual}.
 *
 * @param blue what the blue color runs; null when it runs nothing
 * @param green what the green color runs; null when it runs nothing
 * @param live color the route sends traffic to; null before the first switch
 * @param rollout current or last rollout; null when there never was one
 * @param conditions at most one per type
 * @param observedGeneration the {@link DesiredApp#generation()} this state was last reconciled against
 * @param events recent events, oldest first, at most {@link #MAX_EVENTS}
 */
@RegisterForReflection
public record ActualState(
        ColorState blue,
        ColorState green,
        Color live,
        Rollout rollout,
        List<Condition> conditions,
        long observedGeneration,
        List<AppEvent> events) {
    /** How many recent events an app keeps; older ones are dropped on {@link #withEvent}. */
    public static final int MAX_EVENTS = 50;

    public static final ActualState EMPTY = new ActualState(null, null, null, null, List.of(), 0, List.of());

    public ActualState {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        events = events == null ? List.of() : List.copyOf(events);
    }

    public ColorState color(Color c) {
        return c == Color.BLUE ? blue : green;
    }

    public ActualState withColor(Color c, ColorState state) {
        return c == Color.BLUE
                ? new ActualState(state, green, live, rollout, conditions, observedGeneration, events)
                : new ActualState(blue, state, live, rollout, conditions, observedGeneration, events);
    }

    public ActualState withLive(Color newLive) {
        return new ActualState(blue, green, newLive, rollout, conditions, observedGeneration, events);
    }

    public ActualState withRollout(Rollout newRollout) {
        return new ActualState(blue, green, live, newRollout, conditions, observedGeneration, events);
    }

    public ActualState withObservedGeneration(long generation) {
        return new ActualState(blue, green, live, rollout, conditions, generation, events);
    }

    /** The condition of that type, or null. */
    public Condition condition(ConditionType type) {
        return condition(type.wire());
    }

    /** The condition of that type, or null. */
    public Condition condition(String type) {
        for (Condition c : conditions) {
            if (c.type().equals(type)) {
                return c;
            }
        }
        return null;
    }

    /**
     * Sets a condition, replacing the one of the same type. When the status does not change, the earlier
     * {@code lastTransitionTime} is kept, as Kubernetes does.
     */
    public ActualState withCondition(Condition c) {
        Condition old = condition(c.type());
        Condition stored = old != null && old.status() == c.status()
                ? new Condition(c.type(), c.status(), c.reason(), c.message(), old.lastTransitionTime())
                : c;
        List<Condition> next = new ArrayList<>(conditions.size() + 1);
        boolean replaced = false;
        for (Condition existing : conditions) {
            if (existing.type().equals(c.type())) {
                next.add(stored);
                replaced = true;
            } else {
                next.add(existing);
            }
        }
        if (!replaced) {
            next.add(stored);
        }
        return new ActualState(blue, green, live, rollout, next, observedGeneration, events);
    }

    /** Appends an event, dropping the oldest beyond {@link #MAX_EVENTS}. */
    public ActualState withEvent(AppEvent e) {
        Objects.requireNonNull(e, "event");
        List<AppEvent> next = new ArrayList<>(events);
        next.add(e);
        int excess = next.size() - MAX_EVENTS;
        List<AppEvent> bounded = excess > 0 ? next.subList(excess, next.size()) : next;
        return new ActualState(blue, green, live, rollout, conditions, observedGeneration, bounded);
    }

    /**
     * Same conditions (type, status, reason, message), colors, live color, rollout, generation and events:
     * nothing a reader could tell apart, so no write is needed. Transition times are not compared.
     */
    public boolean sameAs(ActualState o) {
        if (!Objects.equals(blue, o.blue) || !Objects.equals(green, o.green) || live != o.live || !Objects.equals(rollout, o.rollout)
                || observedGeneration != o.observedGeneration || !events.equals(o.events) || conditions.size() != o.conditions.size()) {
            return false;
        }
        for (Condition c : o.conditions) {
            Condition old = condition(c.type());
            if (old == null || old.status() != c.status() || !Objects.equals(old.reason(), c.reason()) || !Objects.equals(old.message(), c.message())) {
                return false;
            }
        }
        return true;
    }

    /** Shorthand for {@link #withEvent(AppEvent)}. */
    public ActualState withEvent(Instant time, EventType type, String reason, String message) {
        return withEvent(new AppEvent(time, type, reason, message));
    }
}
