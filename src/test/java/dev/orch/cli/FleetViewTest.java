package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.api.AppSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FleetViewTest {
    @Test
    void contextListsAreSplitAndBlankOnesRefused() {
        assertThat(FleetView.contexts("prod-1, prod-2,staging", false)).containsExactly("prod-1", "prod-2", "staging");
        assertThatThrownBy(() -> FleetView.contexts("prod-1,,staging", false)).hasMessage("invalid --context \"prod-1,,staging\": use NAME or NAME,NAME,...");
    }

    @Test
    void oneContextForEveryOtherCommand() {
        RemoteServer.Flags.context = "a,b";
        try {
            assertThatThrownBy(() -> RemoteServer.resolve(Map.of("ORCHCONFIG", "/nonexistent/orch-config")))
                    .hasMessage("--context a,b: several contexts are for 'orchctl get apps' (the fleet view); give one NAME here");
        } finally {
            RemoteServer.Flags.reset();
        }
    }

    @Test
    void unreachableMembersAreLeftOutOfTheTable() {
        List<FleetView.Member> members = List.of(new FleetView.Member("a", "prod-1", List.<AppSummary>of(), null),
                new FleetView.Member("b", null, List.of(), "cannot reach orchd"));
        assertThat(FleetView.render(members, null, Instant.EPOCH, false)).isEqualTo("HOST   NAME   LIVE   REVISION   READY   STATUS   AGE\n");
    }
}
