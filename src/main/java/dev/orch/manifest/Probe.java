package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** A Kubernetes-style probe: exactly one of httpGet, tcpSocket, exec; timings with Kubernetes' defaults. */
@RegisterForReflection
public record Probe(
        HttpGetAction httpGet,
        TcpSocketAction tcpSocket,
        ExecAction exec,
        int initialDelaySeconds,
        int periodSeconds,
        int timeoutSeconds,
        int successThreshold,
        int failureThreshold) {
    public static final int DEFAULT_INITIAL_DELAY_SECONDS = 0;
    public static final int DEFAULT_PERIOD_SECONDS = 10;
    public static final int DEFAULT_TIMEOUT_SECONDS = 1;
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;
    public static final int DEFAULT_FAILURE_THRESHOLD = 3;
    public static final String DEFAULT_HTTP_PATH = "/";
    public static final String DEFAULT_SCHEME = "HTTP";
    /** Probes connect to the color on the loopback address unless a manifest names another host. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /**
     * @param path request path, starting with '/' (default {@code /})
     * @param port port to probe; null means the color's own port
     * @param host host to connect to (default {@link #DEFAULT_HOST})
     * @param scheme {@code HTTP} or {@code HTTPS}
     */
    @RegisterForReflection
    public record HttpGetAction(String path, Integer port, String host, String scheme, java.util.List<HttpHeader> httpHeaders) {
        public HttpGetAction {
            httpHeaders = httpHeaders == null ? java.util.List.of() : java.util.List.copyOf(httpHeaders);
        }
    }

    @RegisterForReflection
    public record HttpHeader(String name, String value) {}

    /**
     * @param port port to connect to; null means the color's own port
     * @param host host to connect to (default {@link #DEFAULT_HOST})
     */
    @RegisterForReflection
    public record TcpSocketAction(Integer port, String host) {}

    /** @param command argv run by orchd (not a shell); {@code $(PORT)} is expanded */
    @RegisterForReflection
    public record ExecAction(java.util.List<String> command) {
        public ExecAction {
            command = java.util.List.copyOf(command);
        }
    }
}
