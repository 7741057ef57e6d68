package dev.orch.route;

/**
 * Where the shared listeners bind: every app with {@code route.hosts} is served there by host name and path prefix.
 * They are bound when the first such route opens.
 *
 * @param bindAddress address of both listeners ({@code orch.route.bind-address})
 * @param httpPort plain HTTP listener ({@code orch.route.http-port}, 80); 0 picks a free port (tests)
 * @param httpsPort TLS listener ({@code orch.route.https-port}, 443); 0 picks a free port (tests)
 * @param certificatePollMillis how often certificate and key files are checked for a change
 */
public record EdgeOptions(String bindAddress, int httpPort, int httpsPort, long certificatePollMillis) {
    public static final long DEFAULT_CERTIFICATE_POLL_MILLIS = 1_000;

    public static EdgeOptions defaults() {
        return new EdgeOptions("0.0.0.0", 80, 443, DEFAULT_CERTIFICATE_POLL_MILLIS);
    }
}
