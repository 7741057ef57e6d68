package dev.orch.probe;

/** Where a probe goes: the replica's own port, unless the probe names another. */
public record ProbeTarget(String host, int port) {
    public static ProbeTarget local(int port) {
        return new ProbeTarget("127.0.0.1", port);
    }
}
