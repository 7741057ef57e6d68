package dev.orch.reconcile;

import dev.orch.manifest.RouteSpec;
import dev.orch.smoke.SmokeTarget;
import dev.orch.state.Color;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a rollout's smoke checks go: the route's preview listener when the manifest has one (the rollout's start points
 * it at the new color), else each replica of the new color on its own port, as the route would forward.
 */
final class SmokeTargets {
    private SmokeTargets() {}

    static List<SmokeTarget> of(RouteSpec route, Color color, List<Integer> ports) {
        if (route.previewPort() != null) {
            String bind = route.bindAddress();
            String host = "0.0.0.0".equals(bind) ? "127.0.0.1" : "::".equals(bind) ? "::1" : bind;
            String shown = host.contains(":") ? "[" + host + "]" : host;
            return List.of(new SmokeTarget(host, route.previewPort(), "the preview listener " + shown + ":" + route.previewPort()));
        }
        List<SmokeTarget> targets = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            targets.add(new SmokeTarget("127.0.0.1", ports.get(i), color.wire() + "-" + i + " 127.0.0.1:" + ports.get(i)));
        }
        return targets;
    }

    /** How a verdict names all of them. */
    static String via(List<SmokeTarget> targets, Color color) {
        return targets.size() == 1 ? targets.get(0).via() : "the " + targets.size() + " replicas of " + color.wire();
    }
}
