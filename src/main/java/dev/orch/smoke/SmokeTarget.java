package dev.orch.smoke;

/**
 * Where smoke checks are sent: the route's preview listener, or one replica of the new color.
 *
 * @param host address to connect to (loopback for a listener bound to every address)
 * @param port its port
 * @param via how messages name it, e.g. {@code the preview listener 127.0.0.1:8081}
 */
public record SmokeTarget(String host, int port, String via) {}
