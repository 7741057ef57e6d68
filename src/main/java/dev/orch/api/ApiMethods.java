package dev.orch.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The methods each API path serves, for the Allow header of a 405 (the REST layer does not send one).
 * {@code ApiErrorsIT} checks this table against the served OpenAPI document, so a new endpoint cannot be missed.
 */
final class ApiMethods {
    static final Map<String, List<String>> PATHS = table(
            "/api/v1/apps", "GET, POST",
            "/api/v1/apps/{name}", "DELETE, GET",
            "/api/v1/apps/{name}/abort", "POST",
            "/api/v1/apps/{name}/history", "GET",
            "/api/v1/apps/{name}/logsources", "GET",
            "/api/v1/apps/{name}/promote", "POST",
            "/api/v1/apps/{name}/restart", "POST",
            "/api/v1/apps/{name}/retry", "POST",
            "/api/v1/apps/{name}/switch", "POST",
            "/api/v1/apps/{name}/undo", "POST",
            "/api/v1/diff", "POST",
            "/api/v1/events", "GET",
            "/api/v1/host", "GET",
            "/api/v1/host/placement", "GET",
            "/api/v1/audit", "GET",
            "/api/v1/notifications", "GET",
            "/api/v1/sealing-keys", "GET, POST",
            "/api/v1/sealing-keys/reseal", "POST",
            "/api/v1/sources", "GET",
            "/api/v1/sources/sync", "POST",
            "/api/v1/sources/{name}/reset", "POST",
            "/api/v1/sources/{name}/webhook", "POST",
            "/api/v1/version", "GET",
            "/router/v1/routes", "GET",
            "/router/v1/routes/{app}", "DELETE, GET, PUT",
            "/router/v1/routes/{app}/canary", "POST",
            "/router/v1/routes/{app}/idle", "POST",
            "/router/v1/routes/{app}/live", "POST");

    private ApiMethods() {}

    /** The Allow header's value for a request path, HEAD included where GET is (JAX-RS answers HEAD for GET). */
    static Optional<String> allow(String path) {
        for (var e : PATHS.entrySet()) {
            if (template(e.getKey()).matcher(path).matches()) {
                List<String> m = new java.util.ArrayList<>(e.getValue());
                if (m.contains("GET")) {
                    m.add("HEAD");
                }
                return Optional.of(String.join(", ", m.stream().sorted().toList()));
            }
        }
        return Optional.empty();
    }

    private static Pattern template(String t) {
        return Pattern.compile(t.replaceAll("\\{[a-z]+}", "[^/]+") + "/?");
    }

    private static Map<String, List<String>> table(String... pairs) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], List.of(pairs[i + 1].split(", ")));
        }
        return m;
    }
}
