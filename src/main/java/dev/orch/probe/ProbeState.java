package dev.orch.probe;

import dev.orch.manifest.Probe;

/**
 * Kubernetes' threshold rules as a value: {@code successThreshold} passes in a row make a target ready,
 * {@code failureThreshold} failures in a row make it unready. Readiness starts unready; liveness starts
 * alive (a process is not killed before it has failed enough times).
 */
public record ProbeState(boolean passing, int successes, int failures, String lastMessage) {
    public static ProbeState initialReadiness() {
        return new ProbeState(false, 0, 0, "not probed yet");
    }

    public static ProbeState initialLiveness() {
        return new ProbeState(true, 0, 0, "not probed yet");
    }

    public ProbeState next(ProbeResult r, Probe probe) {
        if (r.ok()) {
            int s = successes + 1;
            return new ProbeState(passing || s >= probe.successThreshold(), s, 0, r.message());
        }
        int f = failures + 1;
        return new ProbeState(passing && f < probe.failureThreshold(), 0, f, r.message());
    }
}
