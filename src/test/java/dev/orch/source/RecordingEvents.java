package dev.orch.source;

import dev.orch.state.AppEvent;
import dev.orch.state.Condition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Remembers what a source told the loop. */
final class RecordingEvents implements SourceEvents {
    final List<String> enqueued = new ArrayList<>();
    final Map<String, Condition> conditions = new HashMap<>();
    final Map<String, List<AppEvent>> events = new HashMap<>();

    @Override
    public synchronized void enqueue(String app) {
        enqueued.add(app);
    }

    @Override
    public synchronized void condition(String app, Condition condition, AppEvent event) {
        conditions.put(app, condition);
        if (event != null) {
            events.computeIfAbsent(app, a -> new ArrayList<>()).add(event);
        }
    }

    synchronized void clear() {
        enqueued.clear();
        conditions.clear();
        events.clear();
    }
}
