package dev.orch.reconcile;

import dev.orch.state.ActualState;
import dev.orch.state.AuditEntry;
import dev.orch.state.AuditQuery;
import dev.orch.state.Color;
import dev.orch.state.DesiredApp;
import dev.orch.state.Revision;
import dev.orch.state.StateStore;
import java.util.List;
import java.util.Optional;

/**
 * The read model the API and the metrics get: stored desired and actual state, revisions, audit, and what
 * the last reconcile of each app observed. Nothing here writes.
 */
public final class AppQueries {
    private final StateStore store;
    private final ReconcileView view;
    private final String driverKind;

    public AppQueries(StateStore store, ReconcileView view, String driverKind) {
        this.store = store;
        this.view = view;
        this.driverKind = driverKind;
    }

    public List<String> apps() {
        return store.listApps();
    }

    public Optional<DesiredApp> desired(String app) {
        return store.readDesired(app);
    }

    public Optional<ActualState> actual(String app) {
        return store.readActual(app);
    }

    public List<Revision> revisions(String app) {
        return store.revisions(app);
    }

    public Optional<Revision> revision(String app, int number) {
        return store.readRevision(app, number);
    }

    /** The audit entries the query accepts, oldest first, rotated files included. */
    public List<AuditEntry> audit(AuditQuery query) {
        return store.searchAudit(query);
    }

    public Optional<Observation> lastObservation(String app) {
        return view.lastObservation(app);
    }

    public int ready(String app, Color color) {
        return view.ready(app, color);
    }

    /** See {@link ReconcileView#warm}. */
    public boolean warm(String app, Color color) {
        return view.warm(app, color);
    }

    /** {@code systemd} or {@code process}: where the apps' logs are. */
    public String driverKind() {
        return driverKind;
    }
}
