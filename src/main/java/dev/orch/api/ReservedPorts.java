package dev.orch.api;

import dev.orch.config.OrchConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The ports orchd's own listeners hold, which no app's route may take. */
@ApplicationScoped
public class ReservedPorts {
    @Inject
    OrchConfig config;

    @ConfigProperty(name = "quarkus.management.port", defaultValue = "9464")
    int managementPort;

    /** port -> what holds it, in words an operator can act on. */
    public Map<Integer, String> ports() {
        Map<Integer, String> out = new LinkedHashMap<>();
        out.put(managementPort, "orchd's metrics and health listener (quarkus.management.port)");
        if (config.api().tcp().enabled()) {
            out.putIfAbsent(config.api().tcp().port(), "orchd's API listener (orch.api.tcp.port)");
        }
        if ("unit".equals(config.route().mode())) {
            out.putIfAbsent(config.route().metricsPort(), "orch-router's metrics listener (orch.route.metrics-port)");
        }
        return out;
    }
}
