package dev.orch.api;

import dev.orch.intake.Intake;
import dev.orch.intake.Owner;
import dev.orch.intake.Pin;
import dev.orch.intake.OwnershipConflict;
import dev.orch.manifest.LoadResult;
import dev.orch.manifest.LoadedManifest;
import dev.orch.manifest.ManifestError;
import dev.orch.manifest.ManifestLoader;
import dev.orch.reconcile.AppQueries;
import dev.orch.reconcile.ColorObservation;
import dev.orch.state.ActualState;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.DesiredApp;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@RequestScoped
@Path("/api/v1/apps")
@Produces(MediaType.APPLICATION_JSON)
public class AppsResource {
    @Inject
    AppQueries queries;

    @Inject
    Intake intake;

    @Context
    HttpServerRequest request;

    @GET
    public List<AppSummary> list() {
        List<AppSummary> rows = new ArrayList<>();
        for (String app : Started.of(queries).apps()) {
            Optional<DesiredApp> d = queries.desired(app);
            ActualState a = queries.actual(app).orElse(ActualState.EMPTY);
            if (d.isPresent() || a != ActualState.EMPTY) {
                rows.add(AppSummaries.of(app, d.orElse(null), a, liveReady(app, a), pin(app), release(app, a)));
            }
        }
        return rows;
    }

    @GET
    @Path("{name}")
    public AppStatus get(@PathParam("name") String name) {
        DesiredApp d = Started.of(queries).desired(checkName(name)).orElse(null);
        ActualState a = queries.actual(name).orElse(null);
        if (d == null && a == null) {
            throw Problem.of(Response.Status.NOT_FOUND, "app \"" + name + "\" not found");
        }
        ActualState actual = a == null ? ActualState.EMPTY : a;
        Pin pin = pin(name);
        return new AppStatus(AppSummaries.of(name, d, actual, liveReady(name, actual), pin, release(name, actual)), d, actual,
                colors(name, actual), pin);
    }

    /** Many documents, YAML or JSON; all-or-nothing: one invalid document refuses the whole request. */
    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public List<ApplyResult> apply(String body, @QueryParam("dryRun") boolean dryRun, @QueryParam("force") boolean force) {
        LoadResult r = new ManifestLoader(ManifestLoader.Limits.REQUEST).loadString("<request>", body == null ? "" : body);
        if (!r.ok()) {
            throw Problem.of(Problem.UNPROCESSABLE_CONTENT, r.errors().size() + " error(s) in the manifests; nothing was applied",
                    r.errors().stream().map(ManifestError::toString).toList());
        }
        if (r.manifests().isEmpty()) {
            throw Problem.of(Response.Status.BAD_REQUEST, "no Deployment in the request body");
        }
        List<dev.orch.manifest.Deployment> placed;
        try {
            placed = Started.of(intake).placeByHand(r.manifests().stream().map(LoadedManifest::deployment).toList());
        } catch (dev.orch.intake.NotPlaced e) {
            throw Problem.of(Problem.UNPROCESSABLE_CONTENT, e.getMessage(), e.lines());
        }
        List<String> taken = new ArrayList<>();
        Started.of(intake).portConflicts(placed)
                .forEach((app, lines) -> lines.forEach(l -> taken.add(app + ": " + l)));
        if (!taken.isEmpty()) {
            throw Problem.of(Problem.UNPROCESSABLE_CONTENT, String.join("; ", taken) + "; nothing was applied", taken);
        }
        try {
            return Started.of(intake).applyByHand(placed, Callers.of(request), force, dryRun)
                    .stream().map(o -> new ApplyResult(o.app(), o.change().wire(), o.generation())).toList();
        } catch (OwnershipConflict e) {
            throw Problem.of(Response.Status.CONFLICT, e.getMessage(), e.owned());
        }
    }

    @DELETE
    @Path("{name}")
    public ApplyResult delete(@PathParam("name") String name, @QueryParam("force") boolean force) {
        Intake.Outcome out;
        try {
            out = Started.of(intake).deleteByHand(checkName(name), Callers.of(request), force);
        } catch (OwnershipConflict e) {
            throw Problem.of(Response.Status.CONFLICT, e.getMessage(), e.owned());
        }
        if (out.change() == Intake.Change.NOT_FOUND) {
            throw Problem.of(Response.Status.NOT_FOUND, "app \"" + name + "\" not found");
        }
        return new ApplyResult(name, "deleted", 0);
    }

    private Pin pin(String app) {
        Intake i = intake;
        return i == null ? null : i.owner(app).map(Owner::pin).orElse(null);
    }

    /** The release-channel version the live revision runs, or null. */
    private String release(String app, ActualState a) {
        ColorState live = a.live() == null ? null : a.color(a.live());
        return live == null ? null : queries.revision(app, live.revision()).map(dev.orch.state.Revision::artifactVersion).orElse(null);
    }

    private int liveReady(String app, ActualState a) {
        return a.live() == null ? 0 : queries.ready(app, a.live());
    }

    private List<ColorStatus> colors(String app, ActualState a) {
        List<ColorStatus> out = new ArrayList<>();
        queries.lastObservation(app).ifPresent(o -> {
            for (Color c : Color.values()) {
                ColorState cs = a.color(c);
                if (cs != null) {
                    ColorObservation co = o.color(c);
                    out.add(new ColorStatus(c.wire(), cs.revision(), co.replicas(), co.active(), co.ready(), c == a.live(), co.detail()));
                }
            }
        });
        return out;
    }

    static String checkName(String name) {
        String problem = dev.orch.manifest.Rules.appNameArgument(name);
        if (problem != null) {
            throw Problem.of(Response.Status.BAD_REQUEST, problem);
        }
        return name;
    }
}
