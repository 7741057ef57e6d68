package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.probe.ProbeWorker;
import dev.orch.state.ActualState;
import dev.orch.state.ConditionType;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.Revision;
import dev.orch.state.Source;
import dev.orch.state.StateStore;
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
}
