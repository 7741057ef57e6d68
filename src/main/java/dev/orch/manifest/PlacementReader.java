package dev.orch.manifest;

import dev.orch.manifest.NodeReader.Obj;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.Node;

/** Reads where an app runs ({@code spec.nodeSelector}, {@code spec.nodeAffinity}) and its per-host values ({@code spec.overrides}). */
final class PlacementReader {
    static final List<String> AFFINITY_FIELDS = List.of("matchExpressions");
    static final List<String> EXPRESSION_FIELDS = List.of("key", "operator", "values");
    static final List<String> OVERRIDE_FIELDS = List.of("nodeSelector", "replicas", "route", "artifact", "env");
    static final List<String> OVERRIDE_ROUTE_FIELDS = List.of("port");

    private final NodeReader r;
    private final DeploymentReader deployments;

    PlacementReader(NodeReader reader, DeploymentReader deployments) {
        this.r = reader;
        this.deployments = deployments;
    }

    /** A map of label key to exact value, read by the rules of {@code metadata.labels}; null when absent or invalid (reported). */
    Map<String, String> selector(Obj parent, String key) {
        return parent.node(key) == null ? null : deployments.stringMap(parent, key, true);
    }

    NodeAffinity affinity(Obj a) {
        if (a == null) {
            return null;
        }
        if (!a.require("matchExpressions")) {
            return null;
        }
        List<Node> items = r.list(a.node("matchExpressions"), a.path("matchExpressions"), "{key, operator, values} mappings");
        if (items == null) {
            return null;
        }
        List<NodeAffinity.MatchExpression> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = a.path("matchExpressions") + "[" + i + "]";
            Obj e = r.object(items.get(i), items.get(i).getStartMark(), path, EXPRESSION_FIELDS);
            if (e == null) {
                continue;
            }
            String key = e.require("key") ? e.string("key", null) : null;
            if (key != null && Rules.labelKey(key) != null) {
                r.error(e.node("key"), e.path("key"), Rules.labelKey(key));
            }
            String op = e.require("operator") ? e.string("operator", null) : null;
            if (op != null && !NodeAffinity.OPERATORS.contains(op)) {
                r.error(e.node("operator"), e.path("operator"), "unknown operator \"" + op + "\": use In, NotIn, Exists or DoesNotExist");
                op = null;
            }
            List<String> values = e.has("values") ? r.strings(e.node("values"), e.path("values")) : List.of();
            if (op != null && values != null) {
                boolean set = op.equals("In") || op.equals("NotIn");
                if (set && values.isEmpty()) {
                    r.error(e.mark("values"), e.path("values"), op + " needs at least one value");
                } else if (!set && !values.isEmpty()) {
                    r.error(e.node("values"), e.path("values"), op + " takes no values");
                }
            }
            out.add(new NodeAffinity.MatchExpression(key, op, values));
        }
        return new NodeAffinity(out);
    }

    List<SpecOverride> overrides(Obj s, String portEnv) {
        List<Node> items = r.list(s.node("overrides"), s.path("overrides"), "{nodeSelector, replicas, route, artifact, env} mappings");
        if (items == null) {
            return null;
        }
        List<SpecOverride> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = s.path("overrides") + "[" + i + "]";
            Obj o = r.object(items.get(i), items.get(i).getStartMark(), path, OVERRIDE_FIELDS);
            if (o == null) {
                continue;
            }
            Map<String, String> selector = o.require("nodeSelector") ? selector(o, "nodeSelector") : null;
            if (selector != null && selector.isEmpty()) {
                r.error(o.node("nodeSelector"), o.path("nodeSelector"), "must name at least one label (an override for every host is the manifest itself)");
            }
            Integer replicas = o.integer("replicas", null, 1, DeploymentSpec.MAX_REPLICAS, "must be between 1 and " + DeploymentSpec.MAX_REPLICAS);
            SpecOverride.Route route = null;
            Obj ro = o.object("route", OVERRIDE_ROUTE_FIELDS);
            if (ro != null && ro.require("port")) {
                route = new SpecOverride.Route(ro.port("port"));
            }
            Artifact artifact = o.has("artifact") ? new ArtifactReader(r).artifact(o.object("artifact", ArtifactReader.ARTIFACT_FIELDS)) : null;
            List<EnvVar> env = o.has("env") ? deployments.env(o, portEnv) : null;
            out.add(new SpecOverride(selector, replicas, route, artifact, env));
        }
        return out;
    }
}
