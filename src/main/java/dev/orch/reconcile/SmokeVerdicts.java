package dev.orch.reconcile;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The last smoke verdict of each app: the executor records it, the observer hands it to the planner. */
public final class SmokeVerdicts {
    private final Map<String, SmokeVerdict> last = new ConcurrentHashMap<>();

    void put(String app, SmokeVerdict v) {
        last.put(app, v);
    }

    SmokeVerdict get(String app) {
        return last.get(app);
    }

    void remove(String app) {
        last.remove(app);
    }
}
