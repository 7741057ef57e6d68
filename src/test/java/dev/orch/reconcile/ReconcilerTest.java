package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.DeploymentSpec;
import dev.orch.manifest.Template;
import dev.orch.probe.ProbeWorker;
import dev.orch.state.ActualState;
import dev.orch.state.ConditionType;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.Revision;
import dev.orch.state.Source;
import dev.orch.state.StateStore;
import dev.orch.systemd.ProcessDriver;
import dev.orch.systemd.ProcessDriverConfig;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReconcilerTest {
    @TempDir
    Path dir;

    Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.close();
    }

    @Test
    void aTornDesiredStateIsNotADeletion() throws Exception {
        StateStore store = new StateStore(dir);
        var d = ResyncBench.deployment("web", 31000);
        store.updateDesired(d, Source.APPLY);
        String hash = RevisionHash.of(d.spec().template(), null);
        store.putRevision("web", new Revision(1, hash, d, Source.APPLY, Instant.now()));
        store.writeActual("web", ActualState.EMPTY
                .withColor(Color.BLUE, new ColorState(1, hash, List.of(20000), List.of("orch-web-blue-0.service"), Instant.now()))
                .withLive(Color.BLUE));
        Files.writeString(dir.resolve("apps/web/desired.json"), "{\"schemaVersion\":1,\"deploym"); // torn by a crash

        Reconciler r = Wiring.of(store, new StandIns.AlwaysRunning(), new StandIns.LiveRouter(), new ProbeWorker(vertx),
                new PortAllocator(20000, 20100, p -> true), a -> { }).reconciler();
        for (int i = 0; i < 3; i++) {
            r.reconcile("web");
        }
        assertThat(dir.resolve("apps/web/actual.json")).exists();
        assertThat(store.readActual("web").orElseThrow().condition(ConditionType.PROGRESSING).reason()).isEqualTo("Blocked");

        assertThat(store.deleteDesired("web")).as("an explicit delete still deletes").isTrue();
        r.reconcile("web");
        assertThat(dir.resolve("apps/web")).doesNotExist();
    }

    /** Quick applies of a new app: the second one aborts a rollout whose color was prepared but never installed. */
    @Test
    void abortingARolloutWhoseColorWasNeverInstalledSucceeds() {
        StateStore store = new StateStore(dir);
        ProcessDriver driver = new ProcessDriver(ProcessDriverConfig.defaults(dir.resolve("process")));
        try {
            Reconciler r = Wiring.of(store, driver, new StandIns.LiveRouter(), new ProbeWorker(vertx),
                    new PortAllocator(20000, 20100, p -> true), a -> { }).reconciler();
            var v1 = ResyncBench.deployment("web", 31000);
            store.updateDesired(v1, Source.APPLY);
            for (int i = 0; i < 5 && store.readActual("web").map(a -> a.color(Color.BLUE)).isEmpty(); i++) {
                r.reconcile("web"); // OpenRoute, then PrepareRevision: blue holds revision 1 and its ports
            }
            assertThat(store.readActual("web").orElseThrow().color(Color.BLUE).revision()).isEqualTo(1);
            assertThat(driver.list()).as("no unit installed yet").isEmpty();
            var t = v1.spec().template();
            var v2 = new Deployment(v1.apiVersion(), v1.kind(), v1.metadata(), new DeploymentSpec(1, v1.spec().route(),
                    new Template(t.command(), List.of("-m", "http.server", "--bind", "127.0.0.1", "$(PORT)"), t.env(), t.workingDir(), t.user(),
                            t.portEnv(), t.artifact(), t.readinessProbe(), t.livenessProbe(), t.resources(), t.hardening(), t.terminationGracePeriodSeconds()),
                    v1.spec().strategy(), v1.spec().progressDeadlineSeconds(), v1.spec().revisionHistoryLimit()));
            store.updateDesired(v2, Source.APPLY); // a new template: the rollout of revision 1 is superseded
            for (int i = 0; i < 4; i++) {
                r.reconcile("web"); // threw "orch-web-blue-0 is not installed" on the abort's stop, forever
            }
            assertThat(store.readActual("web").orElseThrow().condition(ConditionType.DEGRADED)).isNull();
        } finally {
            driver.close();
        }
    }
}
