package dev.orch.reconcile;

import dev.orch.state.Color;

/** The one side effect a pass performs; the {@link Executor} does it through the adapters, idempotently. */
public sealed interface Effect {
    None NONE = new None();

    /** Status only (a wait, a warm switch's first phase, converged). */
    record None() implements Effect {}

    /** Copy the artifact into the store, store revision {@code number}, pick the color's ports; prune old revisions. */
    record PrepareRevision(Color color, int number, String hash, int replicas) implements Effect {}

    /** Write (or rewrite) the color's unit files for its stored revision and reload. */
    record InstallUnits(Color color) implements Effect {}

    /** Start the color's units; with {@code preview}, point the preview listener at it too. */
    record StartUnits(Color color, boolean preview) implements Effect {}

    /** Send the smoke checks to {@code color} (running revision {@code revision}) and remember the verdict for the next pass. */
    record RunSmokeChecks(Color color, int revision) implements Effect {}

    /** Point the route at {@code color} (atomic swap; the other color drains). */
    record SwitchRoute(Color color) implements Effect {}

    /**
     * Split the route: {@code weight} percent of new clients to {@code color} (the canary, whose units run), sticky by a
     * cookie bound to {@code token}; weight 0 sends everything to the live color again.
     */
    record SetCanary(Color color, int weight, String token) implements Effect {}

    /** Open or re-open the route listener; switch it to {@code adoptLive} and preview {@code preview} (each may be null). */
    record OpenRoute(Color adoptLive, Color preview) implements Effect {}

    /** Stop a color that is not live and take it off the preview listener. */
    record StopColor(Color color) implements Effect {}

    /** The app was deleted: close the route, stop and remove every unit of it, archive its state. */
    record RemoveApp() implements Effect {}
}
