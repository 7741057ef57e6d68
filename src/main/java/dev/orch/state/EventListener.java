package dev.orch.state;

/** Told of each event as the status writer records it; must return at once (notifications queue, never block the loop). */
@FunctionalInterface
public interface EventListener {
    EventListener NONE = (app, state, event) -> { };

    /** {@code state} is the app's actual state that now holds {@code event}. */
    void recorded(String app, ActualState state, AppEvent event);
}
