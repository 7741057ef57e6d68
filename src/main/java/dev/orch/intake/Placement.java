package dev.orch.intake;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.DeploymentSpec;
import dev.orch.manifest.EnvVar;
import dev.orch.manifest.NodeAffinity;
import dev.orch.manifest.RouteSpec;
import dev.orch.manifest.SpecOverride;
import dev.orch.manifest.Template;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Whether a host with given labels runs an app, and what exactly it runs there: a pure function. An app runs
 * where every {@code spec.nodeSelector} label is equal and every {@code spec.nodeAffinity} expression holds;
 * there, each {@code spec.overrides} entry whose labels the host has is applied in order, and the stored
 * manifest carries no overrides (so a change to another environment's values changes nothing here).
 */
public final class Placement {
    /**
     * @param runs whether this host takes the app
     * @param reason why, in one line naming the selector and the host's labels
     * @param effective what the host runs (overrides applied, {@code spec.overrides} dropped); null when not placed
     */
    public record Decision(String app, boolean runs, String reason, Deployment effective) {}

    private Placement() {}

    public static Decision decide(Deployment d, Map<String, String> hostLabels) {
        Map<String, String> labels = hostLabels == null ? Map.of() : hostLabels;
        DeploymentSpec s = d.spec();
        List<String> why = new ArrayList<>();
        if (s.nodeSelector() != null) {
            for (var e : new TreeMap<>(s.nodeSelector()).entrySet()) {
                if (!e.getValue().equals(labels.get(e.getKey()))) {
                    return no(d, "nodeSelector " + e.getKey() + "=" + e.getValue() + " does not match: this host has " + has(labels, e.getKey()));
                }
            }
            if (!s.nodeSelector().isEmpty()) {
                why.add("nodeSelector " + selector(s.nodeSelector()) + " matches");
            }
        }
        if (s.nodeAffinity() != null) {
            List<NodeAffinity.MatchExpression> exprs = s.nodeAffinity().matchExpressions();
            for (int i = 0; i < exprs.size(); i++) {
                NodeAffinity.MatchExpression x = exprs.get(i);
                if (!holds(x, labels)) {
                    return no(d, "nodeAffinity.matchExpressions[" + i + "] " + describe(x) + " does not hold: this host has " + has(labels, x.key()));
                }
            }
            if (!exprs.isEmpty()) {
                why.add("nodeAffinity matches");
            }
        }
        List<String> applied = new ArrayList<>();
        Deployment effective = resolve(d, labels, applied);
        String reason = (why.isEmpty() ? "no selector: every host runs it" : String.join("; ", why))
                + (applied.isEmpty() ? "" : "; overrides applied: " + String.join(", ", applied));
        return new Decision(d.name(), true, reason, effective);
    }

    static boolean holds(NodeAffinity.MatchExpression x, Map<String, String> labels) {
        return switch (x.operator()) {
            case "In" -> labels.containsKey(x.key()) && x.values().contains(labels.get(x.key()));
            // as in Kubernetes: NotIn also matches a host without the label
            case "NotIn" -> !labels.containsKey(x.key()) || !x.values().contains(labels.get(x.key()));
            case "Exists" -> labels.containsKey(x.key());
            case "DoesNotExist" -> !labels.containsKey(x.key());
            default -> throw new IllegalArgumentException("unknown operator " + x.operator());
        };
    }

    private static Deployment resolve(Deployment d, Map<String, String> labels, List<String> applied) {
        DeploymentSpec s = d.spec();
        if (s.overrides() == null) {
            return d;
        }
        int replicas = s.replicas();
        RouteSpec route = s.route();
        Template t = s.template();
        for (int i = 0; i < s.overrides().size(); i++) {
            SpecOverride o = s.overrides().get(i);
            boolean matches = o.nodeSelector().entrySet().stream().allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
            if (!matches) {
                continue;
            }
            applied.add("overrides[" + i + "] (" + selector(o.nodeSelector()) + ")");
            if (o.replicas() != null) {
                replicas = o.replicas();
            }
            if (o.route() != null && o.route().port() != null) {
                route = route.withPort(o.route().port());
            }
            if (o.artifact() != null || o.env() != null) {
                List<EnvVar> env = new ArrayList<>(t.env());
                for (EnvVar e : o.env() == null ? List.<EnvVar>of() : o.env()) {
                    int at = indexOf(env, e.name());
                    if (at >= 0) {
                        env.set(at, e);
                    } else {
                        env.add(e);
                    }
                }
                t = new Template(t.command(), t.args(), env, t.workingDir(), t.user(), t.portEnv(), o.artifact() != null ? o.artifact() : t.artifact(),
                        t.readinessProbe(), t.livenessProbe(), t.resources(), t.hardening(), t.terminationGracePeriodSeconds());
            }
        }
        return new Deployment(d.apiVersion(), d.kind(), d.metadata(), new DeploymentSpec(replicas, route, t, s.strategy(),
                s.progressDeadlineSeconds(), s.revisionHistoryLimit(), s.minReadySeconds(), s.nodeSelector(), s.nodeAffinity(), null));
    }

    private static int indexOf(List<EnvVar> env, String name) {
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static Decision no(Deployment d, String reason) {
        return new Decision(d.name(), false, reason, null);
    }

    private static String has(Map<String, String> labels, String key) {
        return labels.containsKey(key) ? key + "=" + labels.get(key) : "no label " + key;
    }

    static String selector(Map<String, String> labels) {
        List<String> parts = new ArrayList<>();
        new TreeMap<>(labels).forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }

    private static String describe(NodeAffinity.MatchExpression x) {
        return x.key() + " " + x.operator() + (x.values().isEmpty() ? "" : " (" + String.join(", ", x.values()) + ")");
    }
}
