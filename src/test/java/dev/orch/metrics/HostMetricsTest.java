package dev.orch.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostMetricsTest {
    @Test
    void theInfoSeriesNamesTheHostTheMachineAndEachLabel() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HostMetrics.register(registry, "staging-1", "0123abcd", Map.of("environment", "staging", "topology.kubernetes.io/zone", "eu-1a"));
        Gauge g = registry.get("orch_host_info").gauge();
        assertThat(g.value()).isEqualTo(1.0);
        assertThat(g.getId().getTags()).containsExactlyInAnyOrder(Tag.of("host", "staging-1"), Tag.of("machine_id", "0123abcd"),
                Tag.of("label_environment", "staging"), Tag.of("label_topology_kubernetes_io_zone", "eu-1a"));
    }

    @Test
    void theDashboardSelectsHostsThroughTheInfoSeries() throws Exception {
        JsonNode d = new ObjectMapper().readTree(Path.of("docs/grafana-dashboard.json").toFile());
        List<String> vars = new ArrayList<>();
        d.get("templating").get("list").forEach(v -> vars.add(v.get("name").asText()));
        assertThat(vars).containsExactly("datasource", "host", "node", "app");
        assertThat(d.get("templating").get("list").get(1).get("definition").asText()).isEqualTo("label_values(orch_host_info, host)");
        List<String> exprs = new ArrayList<>();
        d.get("panels").forEach(p -> collect(p, exprs));
        assertThat(exprs).hasSizeGreaterThan(15).allSatisfy(e -> assertThat(e).contains("instance=~\"${node:regex}:[0-9]+\""));
    }

    static void collect(JsonNode panel, List<String> out) {
        if (panel.has("targets")) {
            panel.get("targets").forEach(t -> out.add(t.get("expr").asText()));
        }
        if (panel.has("panels")) {
            panel.get("panels").forEach(p -> collect(p, out));
        }
    }
}
