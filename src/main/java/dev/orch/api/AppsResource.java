package dev.orch.api;

import dev.orch.OrchServices;
import dev.orch.manifest.LoadResult;
import dev.orch.manifest.LoadedManifest;
import dev.orch.manifest.ManifestError;
import dev.orch.manifest.ManifestLoader;
import dev.orch.reconcile.ColorObservation;
import dev.orch.state.ActualState;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.DesiredApp;
import dev.orch.state.Source;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@Path("/api/v1/apps")
@Produces(MediaType.APPLICATION_JSON)
public class AppsResource {
    @Inject
    OrchServices orch;

    @GET
    public List<AppSummary> list() {
        List<AppSummary> rows = new ArrayList<>();
        for (String app : orch.store().listApps()) {
            Optional<DesiredApp> d = orch.store().readDesired(app);
            ActualState a = orch.store().readActual(app).orElse(ActualState.EMPTY);
            if (d.isPresent() || a != ActualState.EMPTY) {
                rows.add(AppSummaries.of(app, d.orElse(null), a));
            }
        }
        return rows;
    }

    @GET
    @Path("{name}")
    public AppStatus get(@PathParam("name") String name) {
        DesiredApp d = orch.store().readDesired(checkName(name)).orElse(null);
        ActualState a = orch.store().readActual(name).orElse(null);
        if (d == null && a == null) {
            throw Problem.of(Response.Status.NOT_FOUND, "app \"" + name + "\" not found");
        }
        ActualState actual = a == null ? ActualState.EMPTY : a;
        return new AppStatus(AppSummaries.of(name, d, actual), d, actual, colors(name, actual));
    }

    /** Many documents, YAML or JSON; all-or-nothing: one invalid document refuses the whole request. */
    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public List<ApplyResult> apply(String body, @QueryParam("dryRun") boolean dryRun, @QueryParam("force") boolean force) {
        LoadResult r = new ManifestLoader().loadString("<request>", body == null ? "" : body);
        if (!r.ok()) {
            throw Problem.of(Response.Status.fromStatusCode(422), r.errors().size() + " error(s) in the manifests; nothing was applied",
                    r.errors().stream().map(ManifestError::toString).toList());
        }
        if (r.manifests().isEmpty()) {
            throw Problem.of(Response.Status.BAD_REQUEST, "no Deployment in the request body");
        }
        checkOwnership(r.manifests(), force);
        List<ApplyResult> results = new ArrayList<>();
        for (LoadedManifest m : r.manifests()) {
            Optional<DesiredApp> old = orch.store().readDesired(m.deployment().name());
            String result = old.isEmpty() ? "created"
                    : old.get().deployment().equals(m.deployment()) && old.get().source().equals(Source.APPLY) ? "unchanged" : "configured";
            long generation = old.map(DesiredApp::generation).orElse(0L);
            if (!dryRun) {
                generation = orch.store().updateDesired(m.deployment(), Source.APPLY).generation();
                orch.loop().enqueue(m.deployment().name());
                noteOverride(m.deployment().name());
            }
            results.add(new ApplyResult(m.deployment().name(), result, generation));
        }
        return results;
    }

    @DELETE
    @Path("{name}")
    public ApplyResult delete(@PathParam("name") String name) {
        if (!orch.store().deleteDesired(checkName(name))) {
            throw Problem.of(Response.Status.NOT_FOUND, "app \"" + name + "\" not found");
        }
        orch.loop().enqueue(name);
        return new ApplyResult(name, "deleted", 0);
    }

    /** Apps defined in git are git's: refused (409, naming the repository and file) unless {@code force=true}. */
    private void checkOwnership(List<LoadedManifest> manifests, boolean force) {
        if (force || orch.git() == null) {
            return;
        }
        List<String> owned = new ArrayList<>();
        for (LoadedManifest m : manifests) {
            orch.git().owner(m.deployment().name()).ifPresent(o -> owned.add("app \"" + m.deployment().name() + "\" is defined in git repository "
                    + o.repo() + " (" + o.url() + ") at " + o.path()));
        }
        if (!owned.isEmpty()) {
            throw Problem.of(Response.Status.CONFLICT, String.join("; ", owned) + ": change it there, or override with"
                    + " 'orchctl apply --force-conflicts' (the override lasts until the next commit that changes the app); nothing was applied", owned);
        }
    }

    /** A forced apply over git shows in status until git changes the app again. */
    private void noteOverride(String app) {
        if (orch.git() == null) {
            return;
        }
        orch.git().owner(app).ifPresent(o -> {
            String msg = "applied by hand over git repository " + o.repo() + " (" + o.url() + ") " + o.path()
                    + "; the next commit that changes this app replaces it";
            var now = java.time.Instant.now();
            orch.reconciler().note(app, a -> a.withCondition(new dev.orch.state.Condition(dev.orch.source.GitSource.CONDITION,
                    dev.orch.state.ConditionStatus.FALSE, "OverriddenByApply", msg, now))
                    .withEvent(now, dev.orch.state.EventType.WARNING, "OverriddenByApply", msg));
        });
    }

    private List<ColorStatus> colors(String app, ActualState a) {
        List<ColorStatus> out = new ArrayList<>();
        orch.reconciler().lastObservation(app).ifPresent(o -> {
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
