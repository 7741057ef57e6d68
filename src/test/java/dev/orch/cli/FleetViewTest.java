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
    void oneTableWithTheHostFirstSelectorsAndWideAsForOneHost() {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        AppSummary web = new AppSummary("web", "blue", 3, "2/2", "Available", now.minusSeconds(300), "abc123", "http :8080", "git", Map.of("tier", "web"), null);
        AppSummary worker = new AppSummary("worker", "green", 1, "1/1", "Available", now.minusSeconds(60), "def456", "http :8090", "git", Map.of("tier", "batch"), null);
        List<FleetView.Member> members = List.of(new FleetView.Member("p1", "prod-1", List.of(web, worker), null),
                new FleetView.Member("s1", "staging-1", List.of(web), null));
        assertThat(FleetView.render(members, null, now, false)).isEqualTo("""
                HOST        NAME     LIVE    REVISION   READY   STATUS      AGE
                prod-1      web      blue    3          2/2     Available   5m
                prod-1      worker   green   1          1/1     Available   60s
                staging-1   web      blue    3          2/2     Available   5m
                """);
        assertThat(FleetView.render(members, LabelSelector.parse("tier=batch"), now, true)).isEqualTo("""
                HOST     NAME     LIVE    REVISION   READY   STATUS      AGE   HASH     ROUTE        SOURCE
                prod-1   worker   green   1          1/1     Available   60s   def456   http :8090   git
                """);
    }

    @Test
    void unreachableMembersAreLeftOutOfTheTable() {
        List<FleetView.Member> members = List.of(new FleetView.Member("a", "prod-1", List.<AppSummary>of(), null),
                new FleetView.Member("b", null, List.of(), "cannot reach orchd"));
        assertThat(FleetView.render(members, null, Instant.EPOCH, false)).isEqualTo("HOST   NAME   LIVE   REVISION   READY   STATUS   AGE\n");
    }
}
