package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The app's public listener inside orchd.
 *
 * @param port public port the route listens on
 * @param protocol {@code http} (per-request forwarding) or {@code tcp} (per-connection)
 * @param bindAddress address the route binds to
 * @param previewPort optional second listener that always forwards to the idle color; null when absent
 * @param drainTimeoutSeconds how long connections to the old color may live after a switch
 */
@RegisterForReflection
public record RouteSpec(int port, Protocol protocol, String bindAddress, Integer previewPort, int drainTimeoutSeconds) {
    public static final Protocol DEFAULT_PROTOCOL = Protocol.HTTP;
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    public static final int DEFAULT_DRAIN_TIMEOUT_SECONDS = 30;
}
