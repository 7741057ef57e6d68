package dev.orch.intake;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.HostRules;
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
public final class PortClaims {
    private PortClaims() {}

    /**
     * @param reserved port -> what holds it, e.g. {@code orchd's management listener (quarkus.management.port)}
     * @param others the current desired deployment of every other app, by name
     * @return one {@code app: spec.route.port: ...} line per conflict, empty when there is none
     */
    public static List<String> conflicts(List<Deployment> incoming, Map<Integer, String> reserved, Map<String, Deployment> others) {
        List<String> out = new ArrayList<>();
        byApp(incoming, reserved, others).forEach((app, lines) -> lines.forEach(l -> out.add(app + ": " + l)));
        return out;
    }

    /** The conflicts of each incoming app that has any: {@code spec.route.port: ...} lines. */
    public static Map<String, List<String>> byApp(List<Deployment> incoming, Map<Integer, String> reserved, Map<String, Deployment> others) {
        Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        for (Deployment d : incoming) {
            List<String> lines = new ArrayList<>();
            RouteSpec r = d.spec().route();
            check(lines, d.name(), "spec.route.port", r.port(), r.bindAddress(), reserved, others);
            if (r.previewPort() != null) {
                check(lines, d.name(), "spec.route.previewPort", r.previewPort(), r.bindAddress(), reserved, others);
            }
            hostClaims(lines, d.name(), r, others);
            if (!lines.isEmpty()) {
                out.put(d.name(), lines);
            }
        }
        return out;
    }

    private static void check(List<String> out, String app, String field, int port, String address, Map<Integer, String> reserved,
            Map<String, Deployment> others) {
        String own = reserved.get(port);
        if (own != null) {
            out.add(field + ": port " + port + " is " + own + "; choose another port");
            return;
        }
        others.forEach((name, other) -> {
            if (name.equals(app)) {
                return;
            }
            RouteSpec o = other.spec().route();
            if (overlaps(address, o.bindAddress()) && (o.port() == port || Objects.equals(o.previewPort(), port))) {
                out.add(field + ": port " + port + " is already the " + (o.port() == port ? "route" : "preview port")
                        + " of app \"" + name + "\"; choose another port");
            }
        });
    }

    /** One host+prefix belongs to one app: a second claim names the owner. */
    private static void hostClaims(List<String> out, String app, RouteSpec r, Map<String, Deployment> others) {
        for (int i = 0; i < r.hostNames().size(); i++) {
            String claim = HostRules.claim(r.hostNames().get(i), r.pathPrefix());
            for (Map.Entry<String, Deployment> e : others.entrySet()) {
                if (!e.getKey().equals(app) && hostClaimsOf(e.getValue().spec().route()).contains(claim)) {
                    out.add("spec.route.hosts[" + i + "]: " + describe(claim) + " is already routed to app \"" + e.getKey()
                            + "\"; choose another host or pathPrefix, or remove it from that app first");
                }
            }
        }
    }

    /** Every {@code host[/prefix]} a route claims on the shared listeners. */
    public static List<String> hostClaimsOf(RouteSpec r) {
        List<String> out = new ArrayList<>();
        for (String h : r.hostNames()) {
            out.add(HostRules.claim(h, r.pathPrefix()));
        }
        return out;
    }

    /** {@code host a.example.com} or {@code host a.example.com with path prefix /api}. */
    public static String describe(String claim) {
        int slash = claim.indexOf('/');
        return slash < 0 ? "host " + claim : "host " + claim.substring(0, slash) + " with path prefix " + claim.substring(slash);
    }

    /** Two listeners on one port collide when they bind the same address or either binds every address. */
    static boolean overlaps(String a, String b) {
        return Rules.addressesOverlap(a, b);
    }
}
