package dev.orch.source;

import dev.orch.state.AppEvent;
import dev.orch.state.Condition;

/** How a source tells the control loop about apps (an interface, so the source is tested without the loop). */
public interface SourceEvents {
    /** The app's desired state changed (or was deleted): reconcile it. */
    void enqueue(String app);

    /**
     * Sets a condition on the app's status, and adds the event when not null. Written by the app's own reconcile
     * (the one writer of its status); dropped for an app that has no state at all.
     */
    void condition(String app, Condition condition, AppEvent event);
}
