package dev.orch.state;

import dev.orch.manifest.Artifact;
import dev.orch.manifest.Deployment;
import dev.orch.manifest.DeploymentSpec;
import dev.orch.manifest.EnvVar;
import dev.orch.manifest.Hardening;
import dev.orch.manifest.ObjectMeta;
import dev.orch.manifest.Probe;
import dev.orch.manifest.Protocol;
import dev.orch.manifest.Resources;
import dev.orch.manifest.RouteSpec;
import dev.orch.manifest.Strategy;
import dev.orch.manifest.Template;
import java.util.List;
import java.util.Map;

/** Fully populated manifests for state tests. */
public final class Samples {
    private Samples() {}

    public static Deployment deployment(String name, String version) {
        return deployment(name, version, Map.of());
    }

    static Deployment deployment(String name, String version, Map<String, String> annotations) {
        Probe ready = new Probe(
                new Probe.HttpGetAction("/healthz", null, "127.0.0.1", "HTTP", List.of(new Probe.HttpHeader("X-A", "b"))),
                null, null, 1, 2, 1, 1, 3);
        Template template = new Template(
                List.of("/usr/bin/java", "-jar", "$(ARTIFACT)"),
                List.of("--port=$(PORT)"),
                List.of(new EnvVar("SECRET", "s3cr3t")),
                "/srv/" + name,
                null,
                Template.DEFAULT_PORT_ENV,
                new Artifact(null, "https://example.com/" + name + "-" + version + ".jar", "ab".repeat(32), null),
                ready,
                new Probe(null, new Probe.TcpSocketAction(null, null), null, 0, 10, 1, 1, 3),
                new Resources(new Resources.Limits("512Mi", "500m")),
                Hardening.DEFAULTS,
                30);
        return new Deployment(
                Deployment.API_VERSION,
                Deployment.KIND,
                new ObjectMeta(name, Map.of("team", "a"), annotations),
                new DeploymentSpec(2, new RouteSpec(8080, Protocol.HTTP, "0.0.0.0", null, 30), template,
                        Strategy.DEFAULT, 600, 10));
    }
}
