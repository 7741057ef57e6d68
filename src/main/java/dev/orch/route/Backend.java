package dev.orch.route;

/** One replica of a color the route forwards to. */
@io.quarkus.runtime.annotations.RegisterForReflection
public record Backend(String host, int port) {
    public Backend {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("backend host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("backend port " + port + " is outside 1..65535");
        }
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
