package dev.orch.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.ManifestLoader;
import dev.orch.state.ActualState;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.Condition;
import dev.orch.state.ConditionStatus;
import dev.orch.state.DesiredApp;
import dev.orch.state.Source;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** READY is the live color's ready replicas over the desired ones, counted one by one as kubectl does. */
class AppSummariesTest {
    static final Instant T = Instant.parse("2025-03-01T12:00:00Z");

    @Test
    void readyCountsTheLiveColorsReadyReplicas() {
        DesiredApp d = new DesiredApp(threeReplicas(), Source.APPLY, 1, T, T);
        ActualState live = ActualState.EMPTY
                .withColor(Color.BLUE, new ColorState(1, "0a1b2c3d4e", List.of(20000, 20001, 20002),
                        List.of("orch-web-blue-0.service", "orch-web-blue-1.service", "orch-web-blue-2.service"), T))
                .withLive(Color.BLUE)
                .withObservedGeneration(1);
        ActualState available = live.withCondition(new Condition("Available", ConditionStatus.TRUE, "LiveColorReady", "", T));
        ActualState unavailable = live.withCondition(new Condition("Available", ConditionStatus.FALSE, "LiveColorNotReady", "", T));

        assertThat(AppSummaries.of("web", d, available, 3).ready()).isEqualTo("3/3");
        // one replica just failed its probe: the Available condition has not been rewritten yet
        assertThat(AppSummaries.of("web", d, available, 2).ready()).isEqualTo("2/3");
        assertThat(AppSummaries.of("web", d, unavailable, 2).ready()).isEqualTo("2/3");
        assertThat(AppSummaries.of("web", d, unavailable, 0).ready()).isEqualTo("0/3");
        assertThat(AppSummaries.of("web", d, ActualState.EMPTY, 0).ready()).isEqualTo("0/3");
    }

    private static Deployment threeReplicas() {
        var r = new ManifestLoader().loadString("web.yaml", """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 3
                  route:
                    port: 8080
                  template:
                    command: ["/usr/bin/python3"]
                    args: ["/srv/app.py", "--port", "$(PORT)"]
                """);
        assertThat(r.errors()).isEmpty();
        return r.manifests().getFirst().deployment();
    }
}
