package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Protocol;
import dev.orch.manifest.RouteSpec;
import dev.orch.smoke.SmokeTarget;
import dev.orch.state.Color;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where smoke checks go: the preview listener when there is one, else every replica of the new color. */
class SmokeTargetsTest {
    @Test
    void withAPreviewPortTheyGoThroughThePreviewListenerOnLoopbackWhenItBindsEveryAddress() {
        List<SmokeTarget> t = SmokeTargets.of(new RouteSpec(8080, Protocol.HTTP, "0.0.0.0", 8081, 30), Color.GREEN, List.of(20001, 20002));
        assertThat(t).containsExactly(new SmokeTarget("127.0.0.1", 8081, "the preview listener 127.0.0.1:8081"));
        assertThat(SmokeTargets.via(t, Color.GREEN)).isEqualTo("the preview listener 127.0.0.1:8081");
        assertThat(SmokeTargets.of(new RouteSpec(8080, Protocol.HTTP, "::", 8081, 30), Color.GREEN, List.of(20001)))
                .containsExactly(new SmokeTarget("::1", 8081, "the preview listener [::1]:8081"));
        assertThat(SmokeTargets.of(new RouteSpec(8080, Protocol.HTTP, "10.0.0.5", 8081, 30), Color.GREEN, List.of(20001)))
                .containsExactly(new SmokeTarget("10.0.0.5", 8081, "the preview listener 10.0.0.5:8081"));
    }

    @Test
    void withoutOneTheyGoToEveryReplicaOfTheNewColor() {
        List<SmokeTarget> t = SmokeTargets.of(new RouteSpec(8080, Protocol.HTTP, "0.0.0.0", null, 30), Color.GREEN, List.of(20001, 20002));
        assertThat(t).containsExactly(new SmokeTarget("127.0.0.1", 20001, "green-0 127.0.0.1:20001"),
                new SmokeTarget("127.0.0.1", 20002, "green-1 127.0.0.1:20002"));
        assertThat(SmokeTargets.via(t, Color.GREEN)).isEqualTo("the 2 replicas of green");
    }
}
