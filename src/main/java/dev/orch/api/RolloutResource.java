package dev.orch.api;

import dev.orch.OrchServices;
import dev.orch.state.ActualState;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.DesiredApp;
import dev.orch.state.Revision;
import dev.orch.state.Source;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * Rollout verbs. Undo and switch change the desired state (to a stored revision) and let the control loop
 * take the safe path; it takes the instant one when the target revision still runs warm in the idle color.
 */
@Path("/api/v1/apps/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class RolloutResource {
    @Inject
    OrchServices orch;

    @GET
    @Path("history")
    public List<Revision> history(@PathParam("name") String name) {
        requireDesired(name);
        return orch.store().revisions(name);
    }

    /** {@code rollout undo [--to-revision=N]}: N, or the revision before the live one. */
    @POST
    @Path("undo")
    public ApplyResult undo(@PathParam("name") String name, @QueryParam("toRevision") Integer toRevision) {
        DesiredApp d = requireDesired(name);
        ActualState a = orch.store().readActual(name).orElse(ActualState.EMPTY);
        int current = a.live() == null || a.color(a.live()) == null ? Integer.MAX_VALUE : a.color(a.live()).revision();
        Revision target;
        if (toRevision != null && toRevision > 0) {
            target = orch.store().readRevision(name, toRevision).orElseThrow(() -> Problem.of(Response.Status.NOT_FOUND,
                    "revision " + toRevision + " of " + name + " not found; see 'orchctl rollout history " + name + "'"));
        } else {
            String liveHash = a.live() == null || a.color(a.live()) == null ? null : a.color(a.live()).revisionHash();
            target = orch.store().revisions(name).stream()
                    .filter(r -> r.number() < current && !r.hash().equals(liveHash))
                    .reduce((x, y) -> y)
                    .orElseThrow(() -> Problem.of(Response.Status.CONFLICT, "no previous revision of " + name + " to go back to"));
        }
        return setDesired(name, d, target, "undo");
    }

    /** {@code switch}: back to the idle color at once, which must still run (keep-warm) and be ready. */
    @POST
    @Path("switch")
    public ApplyResult switchColor(@PathParam("name") String name) {
        DesiredApp d = requireDesired(name);
        ActualState a = orch.store().readActual(name).orElse(ActualState.EMPTY);
        if (a.live() == null) {
            throw Problem.of(Response.Status.CONFLICT, name + " has no live color yet");
        }
        Color idle = a.live().other();
        ColorState cs = a.color(idle);
        boolean warm = cs != null && orch.driver().status(new dev.orch.systemd.InstanceId(name, idle, 0)).running();
        if (!warm) {
            throw Problem.of(Response.Status.CONFLICT, idle + " is not running any more (its keep-warm time ended), so there is nothing"
                    + " to switch to instantly; use 'orchctl rollout undo " + name + "' to redeploy the previous revision");
        }
        Revision target = orch.store().readRevision(name, cs.revision())
                .orElseThrow(() -> Problem.of(Response.Status.CONFLICT, "revision " + cs.revision() + " of " + name + " is not stored"));
        return setDesired(name, d, target, "switch");
    }

    @POST
    @Path("promote")
    public ApplyResult promote(@PathParam("name") String name) {
        requireDesired(name);
        ActualState a = orch.store().readActual(name).orElse(ActualState.EMPTY);
        if (a.rollout() == null || !a.rollout().inProgress()) {
            throw Problem.of(Response.Status.CONFLICT, name + " has no rollout in progress to promote");
        }
        orch.reconciler().requestPromotion(name);
        orch.loop().enqueue(name);
        return new ApplyResult(name, "promoted", 0);
    }

    /** {@code rollout restart}: a fresh start of the live template through the blue/green path (see {@link Restarts}). */
    @POST
    @Path("restart")
    public ApplyResult restart(@PathParam("name") String name) {
        DesiredApp d = requireDesired(name);
        DesiredApp next = orch.store().updateDesired(Restarts.stamp(d.deployment(), java.time.Instant.now()), d.source(), d.artifactSha256());
        orch.loop().enqueue(name);
        return new ApplyResult(name, "restarted", next.generation());
    }

    private ApplyResult setDesired(String name, DesiredApp d, Revision target, String action) {
        DesiredApp next = orch.store().updateDesired(target.deployment(),
                d.source().type() == dev.orch.state.SourceKind.APPLY ? Source.APPLY : d.source(), target.artifactSha256());
        orch.loop().enqueue(name);
        return new ApplyResult(name, action + " to revision " + target.number(), next.generation());
    }

    private DesiredApp requireDesired(String name) {
        return orch.store().readDesired(AppsResource.checkName(name)).orElseThrow(() -> Problem.of(Response.Status.NOT_FOUND, "app \"" + name + "\" not found"));
    }
}
