package dev.orch.api;

import dev.orch.reconcile.AppQueries;
import dev.orch.manifest.Deployment;
import dev.orch.manifest.DeploymentSpec;
import dev.orch.manifest.LoadResult;
import dev.orch.manifest.LoadedManifest;
import dev.orch.manifest.ManifestError;
import dev.orch.manifest.ManifestLoader;
import dev.orch.manifest.Manifests;
import dev.orch.manifest.SealedDigests;
import dev.orch.manifest.RouteSpec;
import dev.orch.state.ActualState;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.DesiredApp;
import dev.orch.state.Revision;
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
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@code orchctl diff -f}: per app, the diff with what runs and the unit and route changes that apply would cause. */
@RequestScoped
@Path("/api/v1/diff")
@Produces(MediaType.APPLICATION_JSON)
public class DiffResource {
    @Inject
    AppQueries queries;

    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public List<DiffResult> diff(String body) {
        LoadResult r = new ManifestLoader(ManifestLoader.Limits.REQUEST).loadString("<request>", body == null ? "" : body);
        if (!r.ok()) {
            throw Problem.of(Problem.UNPROCESSABLE_CONTENT, r.errors().size() + " error(s) in the manifests",
                    r.errors().stream().map(ManifestError::toString).toList());
        }
        List<DiffResult> out = new ArrayList<>();
        for (LoadedManifest m : r.manifests()) {
            Deployment next = m.deployment();
            Optional<DesiredApp> old = Started.of(queries).desired(next.name());
            ActualState a = queries.actual(next.name()).orElse(ActualState.EMPTY);
            out.add(of(next, old.orElse(null), a, running(next.name(), a)));
        }
        return out;
    }

    /** What each color runs: its stored revision, and whether it is warm (every replica ready). */
    public record Running(Revision revision, boolean warm) {}

    private Map<Color, Running> running(String app, ActualState a) {
        Map<Color, Running> out = new EnumMap<>(Color.class);
        for (Color c : Color.values()) {
            ColorState cs = a.color(c);
            if (cs != null) {
                queries.revision(app, cs.revision()).ifPresent(r -> out.put(c, new Running(r, queries.warm(app, c))));
            }
        }
        return out;
    }

    /**
     * Compares with what RUNS, not with the stored desired state (which may hold a rollout that failed): the live
     * color's revision (its template and replicas) with the desired state's other fields (route, strategy, which
     * take effect without a new revision), and the idle color for an instant switch back.
     */
    public static DiffResult of(Deployment next, DesiredApp old, ActualState a, Map<Color, Running> running) {
        String name = next.name();
        String newYaml = Manifests.toYaml(SealedDigests.redact(next));
        Running live = a.live() == null ? null : running.get(a.live());
        if (old == null && live == null) {
            int replicas = next.spec().replicas();
            return new DiffResult(name, "created", LineDiff.unified("/dev/null", name, "", newYaml, 3), List.of(
                    "start revision 1 in blue: " + replicas + " unit(s) orch-" + name + "-blue-0" + (replicas > 1 ? "..-" + (replicas - 1) : ""),
                    "bind the route on " + route(next.spec().route()) + " once blue is ready"));
        }
        Deployment prev = runs(old == null ? live.revision().deployment() : old.deployment(), next, live);
        String diff = LineDiff.unified(name + " (running)", name + " (applied)", Manifests.toYaml(SealedDigests.redact(prev)), newYaml, 3);
        boolean sourceChanges = old != null && !old.source().equals(Source.APPLY);
        if (diff.isEmpty() && !sourceChanges) {
            return new DiffResult(name, "unchanged", "", List.of());
        }
        List<String> effects = new ArrayList<>();
        if (sourceChanges) {
            effects.add("ownership moves from " + old.source().describe() + " to apply");
        }
        boolean templateChanges = !sameRevision(prev, next);
        if (templateChanges) {
            Color idle = a.live() == null ? Color.BLUE : a.live().other();
            Running idleRuns = running.get(idle);
            int replicas = next.spec().replicas();
            if (idleRuns != null && idleRuns.warm() && a.color(idle) != null && sameRevision(idleRuns.revision().deployment(), next)) {
                effects.add("the idle color " + idle.wire() + " still runs this template warm (revision " + idleRuns.revision().number()
                        + "): switch the route to it at once");
            } else {
                effects.add("new revision: start " + replicas + " unit(s) orch-" + name + "-" + idle.wire() + "-0"
                        + (replicas > 1 ? "..-" + (replicas - 1) : "") + " in the idle color " + idle.wire()
                        + ", switch the route when ready, then drain " + (a.live() == null ? "nothing" : a.live().wire()));
            }
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

    /**
     * The desired state as it runs: the live revision's template and replicas, the desired route (the proxy serves
     * it at once). The fields that only steer rollouts (metadata, strategy, deadline, history) change nothing that
     * runs: each counts as unchanged when the applied value is the live revision's or the stored one.
     */
    private static Deployment runs(Deployment desired, Deployment next, Running live) {
        if (live == null) {
            return desired;
        }
        DeploymentSpec d = desired.spec();
        Deployment rev = live.revision().deployment();
        DeploymentSpec r = rev.spec();
        DeploymentSpec n = next.spec();
        return new Deployment(desired.apiVersion(), desired.kind(), pick(next.metadata(), rev.metadata(), desired.metadata()),
                new DeploymentSpec(r.replicas(), d.route(), r.template(), pick(n.strategy(), r.strategy(), d.strategy()),
                        pick(n.progressDeadlineSeconds(), r.progressDeadlineSeconds(), d.progressDeadlineSeconds()),
                        pick(n.revisionHistoryLimit(), r.revisionHistoryLimit(), d.revisionHistoryLimit()),
                        pick(n.minReadySeconds(), r.minReadySeconds(), d.minReadySeconds()),
                        d.nodeSelector(), d.nodeAffinity(), d.overrides()));
    }

    private static <T> T pick(T applied, T running, T desired) {
        return Objects.equals(applied, running) ? running : desired;
    }

    private static boolean sameRevision(Deployment a, Deployment b) {
        return a.spec().template().equals(b.spec().template()) && a.spec().replicas() == b.spec().replicas();
    }

    private static String route(RouteSpec r) {
        return r.bindAddress() + ":" + r.port() + "/" + r.protocol().wire();
    }
}
