package dev.orch.api;


import dev.orch.manifest.RouteSpec;
import dev.orch.route.RouteBindException;
import dev.orch.route.RouteHandle;
import dev.orch.route.RouteTable;
import dev.orch.route.RouterProtocol;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * orch-router's control API ({@code orchd --router}, on {@code orch.route.socket}): orchd opens, switches and
 * closes the apps' routes here. Absent (404, from {@link ApiAuth}) in orchd itself.
 */
@Path(RouterProtocol.PREFIX)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class RouterResource {
    @Inject
    RouteTable routeTable;

    /** Never null here: in orchd, {@link ApiAuth} answers 404 for these paths before a resource runs. */
    private RouteTable table() {
        return routeTable;
    }

    private RouteHandle route(String app) {
        return table().get(app).orElseThrow(() -> Problem.of(Response.Status.NOT_FOUND, "no route for " + app));
    }

    @GET
    public RouterProtocol.Listing list() {
        return table().listing();
    }

    @PUT
    @Path("{app}")
    public RouterProtocol.Opened open(@PathParam("app") String app, RouteSpec spec) {
        try {
            return table().open(app, spec);
        } catch (RouteBindException e) {
            throw Problem.of(Response.Status.CONFLICT, e.getMessage());
        }
    }

    @GET
    @Path("{app}")
    public RouterProtocol.State state(@PathParam("app") String app) {
        return RouterProtocol.State.of(route(app));
    }

    @POST
    @Path("{app}/live")
    public RouterProtocol.State live(@PathParam("app") String app, RouterProtocol.Target t) {
        return change(app, () -> table().switchTo(app, t));
    }

    @POST
    @Path("{app}/idle")
    public RouterProtocol.State idle(@PathParam("app") String app, RouterProtocol.Target t) {
        return change(app, () -> table().setIdle(app, t));
    }

    @POST
    @Path("{app}/canary")
    public RouterProtocol.State canary(@PathParam("app") String app, RouterProtocol.Canary c) {
        return change(app, () -> table().setCanary(app, c));
    }

    /** A switch or a new idle color; a target the route refuses (no backends, the live color as idle) is a 400. */
    private RouterProtocol.State change(String app, java.util.function.Supplier<RouteHandle> change) {
        RouteHandle h = route(app);
        try {
            h = change.get();
        } catch (IllegalArgumentException e) {
            throw Problem.of(Response.Status.BAD_REQUEST, e.getMessage());
        }
        return RouterProtocol.State.of(h);
    }

    @DELETE
    @Path("{app}")
    public Response close(@PathParam("app") String app) {
        if (!table().close(app)) {
            throw Problem.of(Response.Status.NOT_FOUND, "no route for " + app);
        }
        return Response.noContent().build();
    }
}
