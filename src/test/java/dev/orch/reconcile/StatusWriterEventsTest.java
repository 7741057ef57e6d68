package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.state.ActualState;
import dev.orch.state.AppEvent;
import dev.orch.state.Reason;
import dev.orch.state.StateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status writer tells its listener of each event once, when it writes it (what notifications hang off). */
class StatusWriterEventsTest {
    @TempDir
    Path dir;

    @Test
    void theListenerHearsEachNewEventOnceInOrder() {
        StateStore store = new StateStore(dir);
        List<String> heard = new ArrayList<>();
        StatusWriter writer = new StatusWriter(store, Clock.systemUTC(), (app, state, e) -> heard.add(app + " " + e.reason()));
        AppEvent started = AppEvent.normal(Instant.EPOCH, Reason.ROLLOUT_STARTED, "revision 1");
        ActualState one = ActualState.EMPTY.withEvent(started);
        writer.before("web", one);
        ActualState two = one.withEvent(AppEvent.normal(Instant.EPOCH, Reason.SWITCHED, "blue is live"))
                .withEvent(AppEvent.normal(Instant.EPOCH, Reason.ROLLOUT_COMPLETE, "done"));
        writer.after("web", one, new Plan(new Effect.None(), one, two, List.of(), List.of(), List.of(), new Result.Done()), two);
        writer.failed("web", new RuntimeException("unit failed"));
        writer.failed("web", new RuntimeException("unit failed")); // the same error again: no new event
        assertThat(heard).containsExactly("web RolloutStarted", "web Switched", "web RolloutComplete", "web ReconcileError");
    }
}
