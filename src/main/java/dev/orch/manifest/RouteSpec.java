package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * The app's public listener inside orchd.
 *
 * @param port public port the route listens on
 * @param protocol {@code http} (per-request forwarding) or {@code tcp} (per-connection)
 * @param bindAddress address the route binds to
 * @param previewPort optional second listener that always forwards to the idle color; null when absent
 * @param drainTimeoutSeconds how long connections to the old color may live after a switch
 * @param hosts host names (exact, or {@code *.example.com}) the app also answers on the router's shared HTTP/HTTPS
 *     listeners; empty when the app has only its own port
 * @param pathPrefix on the shared listeners, only requests whose path starts with this ({@code /api}); null for all
 * @param stripPathPrefix false when the prefix is kept in the forwarded path; null (the default, kamal-proxy's) strips it
 * @param tls the certificate the shared HTTPS listener presents for {@link #hosts}; null for plain HTTP only
 */
@RegisterForReflection
public record RouteSpec(int port, Protocol protocol, String bindAddress, Integer previewPort, int drainTimeoutSeconds,
        List<String> hosts, String pathPrefix, Boolean stripPathPrefix, RouteTls tls) {
    public static final Protocol DEFAULT_PROTOCOL = Protocol.HTTP;
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final int DEFAULT_DRAIN_TIMEOUT_SECONDS = 30;

    /** Absent fields stay null (and out of the canonical JSON, so the revisions of apps without hosts do not change). */
    public RouteSpec {
        hosts = hosts == null || hosts.isEmpty() ? null : List.copyOf(hosts);
        stripPathPrefix = Boolean.FALSE.equals(stripPathPrefix) ? Boolean.FALSE : null;
    }

    /** The hosts, empty when none. */
    public List<String> hostNames() {
        return hosts == null ? List.of() : hosts;
    }

    /** Whether the prefix is stripped (the default). */
    public boolean strips() {
        return stripPathPrefix == null;
    }

    /** A route on its own port only. */
    public RouteSpec(int port, Protocol protocol, String bindAddress, Integer previewPort, int drainTimeoutSeconds) {
        this(port, protocol, bindAddress, previewPort, drainTimeoutSeconds, null, null, null, null);
    }

    /** This route on another port (a placement override), everything else kept. */
    public RouteSpec withPort(int other) {
        return new RouteSpec(other, protocol, bindAddress, previewPort, drainTimeoutSeconds, hosts, pathPrefix, stripPathPrefix, tls);
    }

    /** The path prefix the shared listeners match, {@code /} when none is set. */
    public String prefixOrRoot() {
        return pathPrefix == null ? "/" : pathPrefix;
    }

    /**
     * TLS on the shared HTTPS listener for the app's hosts, from PEM files reloaded when they change.
     *
     * @param certificateFile PEM certificate chain (leaf first)
     * @param privateKeyFile PEM private key (PKCS#8 {@code PRIVATE KEY}, or {@code RSA PRIVATE KEY} / {@code EC PRIVATE KEY})
     * @param redirect plain HTTP requests for these hosts get a 308 to HTTPS (default true)
     * @param hstsMaxAgeSeconds when set, HTTPS responses carry {@code Strict-Transport-Security: max-age=N}
     */
    @RegisterForReflection
    public record RouteTls(String certificateFile, String privateKeyFile, boolean redirect, Integer hstsMaxAgeSeconds) {}
}
