package dev.orch.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code orch_host_info{host, machine_id, label_<key>...} 1}: which host this orchd is, to join other series on
 * ({@code * on(instance) group_left(host) orch_host_info}), as kube-state-metrics' {@code kube_node_info}.
 */
public final class HostMetrics {
    private HostMetrics() {}

    public static void register(MeterRegistry registry, String host, String machineId, Map<String, String> labels) {
        Tags tags = Tags.of("host", host, "machine_id", machineId);
        for (var e : new TreeMap<>(labels).entrySet()) {
            tags = tags.and(promLabel(e.getKey()), e.getValue());
        }
        Gauge.builder("orch_host_info", () -> 1).description("Always 1: this host's name, machine id and labels (orch.host.*)")
                .tags(tags).strongReference(true).register(registry);
    }

    /** {@code label_} and the key with every character Prometheus does not allow in a label name as {@code _}. */
    static String promLabel(String key) {
        return "label_" + key.replaceAll("[^a-zA-Z0-9_]", "_");
    }
}
