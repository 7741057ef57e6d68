package dev.orch.api;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.RouteSpec;
import dev.orch.manifest.Rules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The route ports an apply may not take because orch knows their owner: orchd's own listeners (the API's TCP
 * port, the management port, orch-router's metrics port) and other apps' routes. A port some other process
 * holds is found only when the route binds (condition {@code PortInUse}).
 */
final class PortClaims {
    private PortClaims() {}

    /**
     * @param reserved port -> what holds it, e.g. {@code orchd's management listener (quarkus.management.port)}
     * @param others the current desired deployment of every other app, by name
     * @return one {@code spec.route.port: ...} line per conflict, empty when there is none
     */
    static List<String> conflicts(List<Deployment> incoming, Map<Integer, String> reserved, Map<String, Deployment> others) {
        List<String> out = new ArrayList<>();
        for (Deployment d : incoming) {
            RouteSpec r = d.spec().route();
            check(out, d.name(), "spec.route.port", r.port(), r.bindAddress(), reserved, others);
            if (r.previewPort() != null) {
                check(out, d.name(), "spec.route.previewPort", r.previewPort(), r.bindAddress(), reserved, others);
            }
        }
        return out;
    }

    private static void check(List<String> out, String app, String field, int port, String address, Map<Integer, String> reserved,
            Map<String, Deployment> others) {
        String own = reserved.get(port);
        if (own != null) {
            out.add(app + ": " + field + ": port " + port + " is " + own + "; choose another port");
            return;
        }
        others.forEach((name, other) -> {
            if (name.equals(app)) {
                return;
            }
            RouteSpec o = other.spec().route();
            if (overlaps(address, o.bindAddress()) && (o.port() == port || Objects.equals(o.previewPort(), port))) {
                out.add(app + ": " + field + ": port " + port + " is already the " + (o.port() == port ? "route" : "preview port")
                        + " of app \"" + name + "\"; choose another port");
            }
        });
    }

    /** Two listeners on one port collide when they bind the same address or either binds every address. */
    static boolean overlaps(String a, String b) {
        return Rules.addressesOverlap(a, b);
    }
}
