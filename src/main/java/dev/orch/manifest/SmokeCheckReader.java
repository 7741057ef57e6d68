package dev.orch.manifest;

import dev.orch.manifest.NodeReader.Obj;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.nodes.Node;

/** Reads {@code strategy.blueGreen.smokeChecks}: the HTTP requests sent to the new color before the switch. */
final class SmokeCheckReader {
    static final List<String> SMOKE_CHECK_FIELDS = List.of("path", "method", "headers", "expectStatus", "timeoutSeconds");

    private final NodeReader r;

    SmokeCheckReader(NodeReader r) {
        this.r = r;
    }

    /** @param protocol the route's protocol (smoke checks are HTTP requests); null when the route had errors */
    List<SmokeCheck> smokeChecks(Obj blueGreen, Protocol protocol) {
        String listPath = blueGreen.path("smokeChecks");
        List<Node> items = r.list(blueGreen.node("smokeChecks"), listPath, "{path, method, headers, expectStatus, timeoutSeconds} mappings");
        if (items == null) {
            return null;
        }
        int before = r.errorCount();
        if (protocol == Protocol.TCP) {
            r.error(blueGreen.node("smokeChecks"), listPath, "smoke checks are HTTP requests: they need route.protocol http, not tcp");
        }
        if (items.size() > SmokeCheck.MAX_CHECKS) {
            r.error(blueGreen.node("smokeChecks"), listPath, "at most " + SmokeCheck.MAX_CHECKS + " smoke checks, got " + items.size());
        }
        List<SmokeCheck> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            Obj c = r.object(item, item.getStartMark(), listPath + "[" + i + "]", SMOKE_CHECK_FIELDS);
            if (c != null) {
                out.add(check(c));
            }
        }
        return r.errorCount() == before ? (out.isEmpty() ? null : out) : null;
    }

    private SmokeCheck check(Obj c) {
        String path = c.require("path") ? c.string("path", null) : null;
        if (path != null) {
            String problem = !path.startsWith("/") ? "must start with '/', got \"" + path + "\"" : uriProblem(path);
            if (problem != null) {
                r.error(c.node("path"), c.path("path"), problem);
            }
        }
        String method = c.string("method", SmokeCheck.DEFAULT_METHOD);
        if (method != null && !SmokeCheck.METHODS.contains(method)) {
            r.error(c.node("method"), c.path("method"), "unsupported method \"" + method + "\": use one of " + String.join(", ", SmokeCheck.METHODS));
        }
        List<dev.orch.manifest.Probe.HttpHeader> headers = c.has("headers") ? headers(c) : List.of();
        Integer status = c.integer("expectStatus", SmokeCheck.DEFAULT_EXPECT_STATUS, 100, 599, "must be an HTTP status from 100 to 599");
        Integer timeout = c.integer("timeoutSeconds", SmokeCheck.DEFAULT_TIMEOUT_SECONDS, 1, SmokeCheck.MAX_TIMEOUT_SECONDS,
                "must be from 1 to " + SmokeCheck.MAX_TIMEOUT_SECONDS + " seconds");
        return new SmokeCheck(path, method, headers, status == null ? 0 : status, timeout == null ? 0 : timeout);
    }

    private List<Probe.HttpHeader> headers(Obj c) {
        List<Node> items = r.list(c.node("headers"), c.path("headers"), "{name, value} mappings");
        List<Probe.HttpHeader> out = new ArrayList<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            Obj h = r.object(items.get(i), items.get(i).getStartMark(), c.path("headers") + "[" + i + "]", DeploymentReader.HEADER_FIELDS);
            if (h == null) {
                continue;
            }
            String name = h.require("name") ? h.string("name", null) : null;
            if (name != null) {
                String problem = Rules.httpHeaderName(name);
                if (problem == null && SmokeCheck.RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    problem = "header \"" + name + "\" is set by orch's HTTP client; the reserved names are " + String.join(", ", SmokeCheck.RESERVED_HEADERS);
                }
                if (problem != null) {
                    r.error(h.node("name"), h.path("name"), problem);
                }
            }
            out.add(new Probe.HttpHeader(name, h.string("value", "")));
        }
        return out;
    }

    private static String uriProblem(String path) {
        try {
            new URI("http://127.0.0.1" + path);
            return null;
        } catch (URISyntaxException e) {
            return "not a valid request path (" + e.getReason() + "): \"" + path + "\"";
        }
    }
}
