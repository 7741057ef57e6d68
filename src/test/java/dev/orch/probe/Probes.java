package dev.orch.probe;

import dev.orch.manifest.Probe;
import java.util.List;

/** Probe records for tests, with Kubernetes' defaults unless a test needs otherwise. */
final class Probes {
    private Probes() {}

    static Probe http(String path, int timeoutSeconds) {
        return new Probe(new Probe.HttpGetAction(path, null, null, "HTTP", List.of(new Probe.HttpHeader("X-Probe", "yes"))),
                null, null, 0, 1, timeoutSeconds, 1, 1);
    }

    static Probe tcp() {
        return new Probe(null, new Probe.TcpSocketAction(null, null), null, 0, 1, 1, 1, 1);
    }

    static Probe exec(int timeoutSeconds, String... argv) {
        return new Probe(null, null, new Probe.ExecAction(List.of(argv)), 0, 1, timeoutSeconds, 1, 1);
    }

    static Probe thresholds(int success, int failure) {
        return new Probe(null, new Probe.TcpSocketAction(null, null), null, 0, 1, 1, success, failure);
    }
}
