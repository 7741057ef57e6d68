package dev.orch.api;

import dev.orch.reconcile.AppQueries;
import dev.orch.manifest.Deployment;
import dev.orch.manifest.LoadResult;
import dev.orch.manifest.LoadedManifest;
import dev.orch.manifest.ManifestError;
import dev.orch.manifest.ManifestLoader;
import dev.orch.manifest.Manifests;
import dev.orch.manifest.RouteSpec;
import dev.orch.state.ActualState;
import dev.orch.state.Color;
import dev.orch.state.DesiredApp;
import dev.orch.state.Source;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@code orchctl diff -f}: per app, the manifest diff and the unit and route changes that apply would cause. */
@RequestScoped
@Path("/api/v1/diff")
@Produces(MediaType.APPLICATION_JSON)
public class DiffResource {
    @Inject
    AppQueries queries;

    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public List<DiffResult> diff(String body) {
        LoadResult r = new ManifestLoader().loadString("<request>", body == null ? "" : body);
        if (!r.ok()) {
            throw Problem.of(Problem.UNPROCESSABLE_CONTENT, r.errors().size() + " error(s) in the manifests",
                    r.errors().stream().map(ManifestError::toString).toList());
        }
        List<DiffResult> out = new ArrayList<>();
        for (LoadedManifest m : r.manifests()) {
            Deployment next = m.deployment();
            Optional<DesiredApp> old = Started.of(queries).desired(next.name());
            ActualState a = queries.actual(next.name()).orElse(ActualState.EMPTY);
            out.add(of(next, old.orElse(null), a));
        }
        return out;
    }

    public static DiffResult of(Deployment next, DesiredApp old, ActualState a) {
        String name = next.name();
        String newYaml = Manifests.toYaml(next);
        if (old == null) {
            int replicas = next.spec().replicas();
            return new DiffResult(name, "created", LineDiff.unified("/dev/null", name, "", newYaml, 3), List.of(
                    "start revision 1 in blue: " + replicas + " unit(s) orch-" + name + "-blue-0" + (replicas > 1 ? "..-" + (replicas - 1) : ""),
                    "bind the route on " + route(next.spec().route()) + " once blue is ready"));
        }
        Deployment prev = old.deployment();
        String diff = LineDiff.unified(name + " (live)", name + " (applied)", Manifests.toYaml(prev), newYaml, 3);
        boolean sourceChanges = !old.source().equals(Source.APPLY);
        if (diff.isEmpty() && !sourceChanges) {
            return new DiffResult(name, "unchanged", "", List.of());
        }
        List<String> effects = new ArrayList<>();
        if (sourceChanges) {
            effects.add("ownership moves from " + old.source().describe() + " to apply");
        }
        boolean templateChanges = !prev.spec().template().equals(next.spec().template()) || prev.spec().replicas() != next.spec().replicas();
        if (templateChanges) {
            Color idle = a.live() == null ? Color.BLUE : a.live().other();
            int replicas = next.spec().replicas();
            effects.add("new revision: start " + replicas + " unit(s) orch-" + name + "-" + idle.wire() + "-0"
                    + (replicas > 1 ? "..-" + (replicas - 1) : "") + " in the idle color " + idle.wire()
                    + ", switch the route when ready, then drain " + (a.live() == null ? "nothing" : a.live().wire()));
        }
        RouteSpec pr = prev.spec().route();
        RouteSpec nr = next.spec().route();
        if (!pr.equals(nr)) {
            if (pr.port() != nr.port() || !pr.bindAddress().equals(nr.bindAddress()) || pr.protocol() != nr.protocol()) {
                effects.add("route moves from " + route(pr) + " to " + route(nr));
            }
            if (!Objects.equals(pr.previewPort(), nr.previewPort())) {
                effects.add("preview port " + pr.previewPort() + " -> " + nr.previewPort());
            }
            if (pr.drainTimeoutSeconds() != nr.drainTimeoutSeconds()) {
                effects.add("drain timeout " + pr.drainTimeoutSeconds() + "s -> " + nr.drainTimeoutSeconds() + "s (next switch)");
            }
        }
        if (effects.isEmpty()) {
            effects.add("no unit or route change (takes effect on the next rollout)");
        }
        return new DiffResult(name, "configured", diff, effects);
    }

    private static String route(RouteSpec r) {
        return r.bindAddress() + ":" + r.port() + "/" + r.protocol().wire();
    }
}
