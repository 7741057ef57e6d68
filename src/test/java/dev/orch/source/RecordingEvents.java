package dev.orch.source;

import dev.orch.intake.Intake;
import dev.orch.state.ActualState;
import dev.orch.state.AppEvent;
import dev.orch.state.Condition;
import dev.orch.state.ConditionType;
import dev.orch.state.StateStore;
import dev.orch.state.StatusInbox;
import java.time.Clock;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A real {@link Intake} over the test's store that remembers what a source told the loop: the apps enqueued (a
 * set, as the work queue deduplicates), and the conditions and events posted for the apps' next reconcile.
 */
final class RecordingEvents {
    final Set<String> enqueued = Collections.synchronizedSet(new LinkedHashSet<>());
    private final StatusInbox inbox = new StatusInbox();
    private final Map<String, ActualState> posted = new HashMap<>();

    Intake intake(StateStore store) {
        return new Intake(store, inbox, enqueued::add, Clock.systemUTC());
    }

    /** The app's {@code GitSynced} condition posted since {@link #clear}, or null. */
    synchronized Condition condition(String app) {
        return drain(app).condition(ConditionType.GIT_SYNCED);
    }

    /** The events posted for the app since {@link #clear}. */
    synchronized List<AppEvent> events(String app) {
        return drain(app).events();
    }

    synchronized void clear() {
        // every post enqueues its app, so this drops every pending post too
        List.copyOf(enqueued).forEach(inbox::take);
        enqueued.clear();
        posted.clear();
    }

    private ActualState drain(String app) {
        ActualState a = posted.getOrDefault(app, ActualState.EMPTY);
        for (var change : inbox.take(app)) {
            a = change.apply(a);
        }
        posted.put(app, a);
        return a;
    }
}
