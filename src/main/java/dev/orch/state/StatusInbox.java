package dev.orch.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Status changes asked for outside an app's reconcile (a source's condition, a promotion, a liveness restart).
 * actual.json has one writer, so they wait here until the app's next reconcile takes them, applies them to what
 * it observed and persists them with its own write.
 */
public final class StatusInbox {
    private final Map<String, List<UnaryOperator<ActualState>>> pending = new ConcurrentHashMap<>();

    public void post(String app, UnaryOperator<ActualState> change) {
        pending.merge(app, List.of(change), (a, b) -> {
            List<UnaryOperator<ActualState>> all = new ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        });
    }

    /** Takes the app's pending changes, oldest first (empty when none). */
    public List<UnaryOperator<ActualState>> take(String app) {
        List<UnaryOperator<ActualState>> p = pending.remove(app);
        return p == null ? List.of() : p;
    }

    /** Puts back changes a failed reconcile took, ahead of any posted since. */
    public void putBack(String app, List<UnaryOperator<ActualState>> changes) {
        if (!changes.isEmpty()) {
            pending.merge(app, changes, (newer, older) -> {
                List<UnaryOperator<ActualState>> all = new ArrayList<>(older);
                all.addAll(newer);
                return List.copyOf(all);
            });
        }
    }
}
