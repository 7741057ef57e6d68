package dev.orch.reconcile;

import dev.orch.artifact.Channels;
import dev.orch.artifact.HttpArtifactDownloader;
import dev.orch.artifact.UploadWatch;
import dev.orch.probe.Probing;
import dev.orch.route.Router;
import dev.orch.smoke.HttpSmokeClient;
import dev.orch.state.ArtifactStore;
import dev.orch.state.StateStore;
import dev.orch.state.StatusInbox;
import dev.orch.systemd.ServiceDriver;
import dev.orch.systemd.StatusCache;
import java.time.Clock;
import java.util.function.Consumer;

/** The reconcile graph as DaemonRoot wires it, over whatever driver and router a test brings. */
record Wiring(StatusInbox inbox, StatusCache statuses, OpenRoutes routes, DriverExecutor executor, Reconciler reconciler) {
    static Wiring of(StateStore store, ServiceDriver driver, Router router, Probing probes, PortAllocator ports, Consumer<String> wake) {
        Clock clock = Clock.systemUTC();
        StatusInbox inbox = new StatusInbox();
        StatusCache statuses = new StatusCache(driver);
        OpenRoutes routes = new OpenRoutes();
        ArtifactStore artifacts = new ArtifactStore(store.artifactsDir());
        SmokeVerdicts smoke = new SmokeVerdicts();
        DriverExecutor executor = new DriverExecutor(store, driver, statuses, router, routes, probes, artifacts, HttpArtifactDownloader.withDefaults(artifacts), UploadWatch.NONE, Channels.NONE, ports, inbox, clock, wake, null, new HttpSmokeClient(), smoke);
        Reconciler r = new Reconciler(inbox, new Observer(store, driver, statuses, probes, artifacts, UploadWatch.NONE, Channels.NONE, routes, clock, smoke), executor,
                new StatusWriter(store, clock), ReconcileHooks.NOOP);
        return new Wiring(inbox, statuses, routes, executor, r);
    }
}
