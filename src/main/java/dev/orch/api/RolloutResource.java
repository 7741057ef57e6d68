package dev.orch.api;

import dev.orch.intake.Actor;
import dev.orch.intake.Intake;
import dev.orch.reconcile.AppQueries;
import dev.orch.state.ActualState;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.DesiredApp;
import dev.orch.state.Revision;
import dev.orch.state.Source;
import dev.orch.state.SourceKind;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Rollout verbs. Undo and switch change the desired state (to a stored revision) through the intake and let the
 * control loop take the safe path; it takes the instant one when the target revision still runs warm in the
 * idle color. Every verb is audited with its caller.
 */
@RequestScoped
@Path("/api/v1/apps/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class RolloutResource {
    @Inject
    AppQueries queries;

    @Inject
    Intake intake;

    @Context
    HttpServerRequest request;

    @GET
    @Path("history")
    public List<Revision> history(@PathParam("name") String name) {
        requireDesired(name);
        return queries.revisions(name);
    }

    /** {@code rollout undo [--to-revision=N]}: N, or the revision before the live one. */
    @POST
    @Path("undo")
    public ApplyResult undo(@PathParam("name") String name, @QueryParam("toRevision") Integer toRevision) {
        DesiredApp d = requireDesired(name);
        ActualState a = queries.actual(name).orElse(ActualState.EMPTY);
        int current = a.live() == null || a.color(a.live()) == null ? Integer.MAX_VALUE : a.color(a.live()).revision();
        Revision target;
        if (toRevision != null && toRevision > 0) {
            target = queries.revision(name, toRevision).orElseThrow(() -> Problem.of(Response.Status.NOT_FOUND,
                    "revision " + toRevision + " of " + name + " not found; see 'orchctl rollout history " + name + "'"));
        } else {
            String liveHash = a.live() == null || a.color(a.live()) == null ? null : a.color(a.live()).revisionHash();
            target = queries.revisions(name).stream()
                    .filter(r -> r.number() < current && !r.hash().equals(liveHash))
                    .reduce((x, y) -> y)
                    .orElseThrow(() -> Problem.of(Response.Status.CONFLICT, "no previous revision of " + name + " to go back to"));
        }
        return setDesired(name, d, target, "undo");
    }

    /** {@code switch}: back to the idle color at once, which must still run (keep-warm) with every replica ready. */
    @POST
    @Path("switch")
    public ApplyResult switchColor(@PathParam("name") String name) {
        DesiredApp d = requireDesired(name);
        ActualState a = queries.actual(name).orElse(ActualState.EMPTY);
        if (a.live() == null) {
            throw Problem.of(Response.Status.CONFLICT, name + " has no live color yet");
        }
        Color idle = a.live().other();
        ColorState cs = a.color(idle);
        if (cs == null || !queries.warm(name, idle)) {
            throw Problem.of(Response.Status.CONFLICT, idle + " is not running with every replica ready any more (its keep-warm time ended),"
                    + " so there is nothing to switch to instantly; use 'orchctl rollout undo " + name + "' to redeploy the previous revision");
        }
        Revision target = queries.revision(name, cs.revision())
                .orElseThrow(() -> Problem.of(Response.Status.CONFLICT, "revision " + cs.revision() + " of " + name + " is not stored"));
        return setDesired(name, d, target, "switch");
    }

    @POST
    @Path("promote")
    public ApplyResult promote(@PathParam("name") String name, @QueryParam("full") boolean full) {
        requireDesired(name);
        ActualState a = queries.actual(name).orElse(ActualState.EMPTY);
        if (a.rollout() == null || !a.rollout().inProgress()) {
            throw Problem.of(Response.Status.CONFLICT, name + " has no rollout in progress to promote");
        }
        if (full && !a.rollout().inCanary()) {
            throw Problem.of(Response.Status.CONFLICT, name + " has no canary in progress to promote in full");
        }
        intake.promote(name, caller(), full);
        return new ApplyResult(name, full ? "promoted in full" : "promoted", 0);
    }

    /** {@code rollout abort}: a canary back to 100 % on the live color, its revision remembered as bad. */
    @POST
    @Path("abort")
    public ApplyResult abort(@PathParam("name") String name) {
        requireDesired(name);
        ActualState a = queries.actual(name).orElse(ActualState.EMPTY);
        if (a.rollout() == null || !a.rollout().inCanary()) {
            throw Problem.of(Response.Status.CONFLICT, name + " has no canary in progress to abort");
        }
        intake.abort(name, caller());
        return new ApplyResult(name, "aborted", 0);
    }

    /** {@code rollout retry}: start again a revision that failed its bake or its deadline. */
    @POST
    @Path("retry")
    public ApplyResult retry(@PathParam("name") String name) {
        requireDesired(name);
        ActualState a = queries.actual(name).orElse(ActualState.EMPTY);
        if (a.rollout() == null || a.rollout().phase() != dev.orch.state.RolloutPhase.ABORTED || a.rollout().retry()) {
            throw Problem.of(Response.Status.CONFLICT, name + " has no failed rollout to retry");
        }
        intake.retry(name, caller());
        return new ApplyResult(name, "retried", 0);
    }

    /**
     * {@code rollout restart}: a fresh start of the LIVE revision through the blue/green path (see {@link Restarts}).
     * After a failed rollout the desired state is the revision that failed; restarting that would not restart what
     * serves. With no live color yet, the desired state is all there is.
     */
    @POST
    @Path("restart")
    public ApplyResult restart(@PathParam("name") String name) {
        DesiredApp d = requireDesired(name);
        ActualState a = queries.actual(name).orElse(ActualState.EMPTY);
        ColorState live = a.live() == null ? null : a.color(a.live());
        Revision running = live == null ? null : queries.revision(name, live.revision()).orElse(null);
        var next = running == null
                ? intake.put(Restarts.stamp(d.deployment(), Instant.now()), d.source(), d.artifactSha256(), caller(), "restart", Map.of())
                : intake.put(Restarts.stamp(running.deployment(), Instant.now()), d.source(), running.artifactSha256(), caller(), "restart",
                        Map.of("revision", Integer.toString(running.number())));
        return new ApplyResult(name, "restarted", next.generation());
    }

    private ApplyResult setDesired(String name, DesiredApp d, Revision target, String action) {
        Source source = d.source().type() == SourceKind.APPLY ? Source.APPLY : d.source();
        var next = intake.rollBack(target.deployment(), source, target.artifactSha256(), target.number(), caller(), action);
        return new ApplyResult(name, action + " to revision " + target.number(), next.generation());
    }

    private Actor caller() {
        return Callers.of(request);
    }

    private DesiredApp requireDesired(String name) {
        AppsResource.checkName(name);
        return Started.of(queries).desired(name).orElseThrow(() -> Problem.of(Response.Status.NOT_FOUND, "app \"" + name + "\" not found"));
    }
}
