package dev.orch.reconcile;

import dev.orch.manifest.Probe;
import dev.orch.probe.ProbeWorker;
import dev.orch.systemd.InstanceId;

/** A probe that should run against one running replica (the plan lists them all; the executor keeps exactly those). */
public record ProbeWatch(InstanceId id, ProbeWorker.Kind kind, Probe probe, int port, String portEnv) {
    public ProbeWorker.Key key() {
        return key(id, kind);
    }

    public static ProbeWorker.Key key(InstanceId id, ProbeWorker.Kind kind) {
        return new ProbeWorker.Key(id.app(), id.color().wire(), id.replica(), kind);
    }
}
