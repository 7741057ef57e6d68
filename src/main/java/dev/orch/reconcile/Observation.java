package dev.orch.reconcile;

import dev.orch.artifact.Release;
import dev.orch.state.ActualState;
import dev.orch.state.Color;
import dev.orch.state.DesiredApp;
import dev.orch.state.Reason;
import java.time.Instant;

/**
 * Everything the planner may look at for one app, gathered read-only by the {@link Observer}.
 *
 * @param desired what the owning source asks for; null when the app was deleted
 * @param desiredHash revision hash of the desired template and artifact content; null when it cannot be
 *     computed (see {@code blocked})
 * @param blocked why no new revision can be rolled out now (e.g. the artifact file is missing); null if none
 * @param stored actual.json as on disk ({@link ActualState#EMPTY} for a new app)
 * @param actual {@code stored} with the status changes posted to the app's inbox applied
 * @param strayUnits orch-marked units of this app the driver lists although no desired state exists (only
 *     looked up for deleted apps); they are removed
 * @param nextRevision the number a new revision would get (0 when no new revision is in sight)
 * @param release what the artifact's release channel resolved to (its digest is in {@code desiredHash}); null
 *     without a channel
 * @param smoke the verdict of the app's last smoke checks (which color and revision they were sent to); null when none
 *     were sent since orchd started
 */
public record Observation(
        String app,
        DesiredApp desired,
        String desiredHash,
        Blocked blocked,
        ActualState stored,
        ActualState actual,
        ColorObservation blue,
        ColorObservation green,
        RouteObservation route,
        int strayUnits,
        int nextRevision,
        Instant now,
        Release release,
        SmokeVerdict smoke) {

    public Observation(String app, DesiredApp desired, String desiredHash, Blocked blocked, ActualState stored, ActualState actual,
            ColorObservation blue, ColorObservation green, RouteObservation route, int strayUnits, int nextRevision, Instant now, Release release) {
        this(app, desired, desiredHash, blocked, stored, actual, blue, green, route, strayUnits, nextRevision, now, release, null);
    }

    /** Why nothing new can start, in the one vocabulary of reasons. */
    public record Blocked(Reason reason, String message) {}

    /** An observation whose actual state has no pending inbox changes (planner tables). */
    public Observation(String app, DesiredApp desired, String desiredHash, Blocked blocked, ActualState actual,
            ColorObservation blue, ColorObservation green, RouteObservation route, int strayUnits, Instant now) {
        this(app, desired, desiredHash, blocked, actual, actual, blue, green, route, strayUnits, 0, now, null, null);
    }

    public ColorObservation color(Color c) {
        return c == Color.BLUE ? blue : green;
    }
}
