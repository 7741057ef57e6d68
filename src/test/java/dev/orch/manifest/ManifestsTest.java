package dev.orch.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestsTest {
    final ManifestLoader loader = new ManifestLoader();

    /** Strings that a careless YAML writer would turn into other types. */
    static final List<String> TRICKY = List.of("80", "true", "yes", "no", "on", "null", "~", "1.5", "", " lead", "a: b",
            "#x", "$(PORT)", "- x", "'q'", "\"dq\"", "0x10", "1e3", "2024-01-01", "é ü", "\t", "%s", "{a}", "[b]", "&a", "*a", "!t");

    static Deployment full() {
        List<EnvVar> env = new java.util.ArrayList<>();
        for (int i = 0; i < TRICKY.size(); i++) {
            env.add(new EnvVar("V" + i, TRICKY.get(i)));
        }
        return new Deployment("orch.dev/v1", "Deployment",
                new ObjectMeta("web", Map.of("tier", "web", "app.kubernetes.io/name", "web"), Map.of("note", "yes: really")),
                new DeploymentSpec(2,
                        new RouteSpec(8080, Protocol.TCP, "::1", 8081, 5),
                        new Template(List.of("/usr/bin/web"), TRICKY, env, "/srv/web", "web", "HTTP_PORT",
                                new Artifact(null, "https://example.com/a.jar", "0".repeat(64), null),
                                new Probe(new Probe.HttpGetAction("/h", 9000, "127.0.0.1", "HTTPS",
                                        List.of(new Probe.HttpHeader("X-A", "true"))), null, null, 1, 2, 3, 4, 5),
                                new Probe(null, null, new Probe.ExecAction(List.of("/bin/check", "80")), 0, 10, 1, 1, 3),
                                new Resources(new Resources.Limits("512Mi", "1.5")),
                                new Hardening(false, "false", "tmpfs", false, true, false, true, false, true, false,
                                        List.of("/var/lib/web", "/tmp/x")),
                                7),
                        new Strategy("BlueGreen", new Strategy.BlueGreen(false, 1)),
                        100, 3));
    }

    @Test
    void yamlRoundTripsToAnEqualDeployment() {
        Deployment d = full();
        String yaml = Manifests.toYaml(d);

        LoadResult back = loader.loadString("out.yaml", yaml);

        assertThat(back.errors()).as(yaml).isEmpty();
        assertThat(back.deployments()).containsExactly(d);
    }

    @Test
    void jsonRoundTripsToAnEqualDeployment() {
        Deployment d = full();
        String json = Manifests.toJson(d);

        LoadResult back = loader.loadString("out.json", json);

        assertThat(back.errors()).as(json).isEmpty();
        assertThat(back.deployments()).containsExactly(d);
    }

    @Test
    void loadedDefaultsRoundTripToo() {
        Deployment d = ManifestLoaderTest.single(loader.loadString("m.yaml", ManifestLoaderTest.MINIMAL));

        assertThat(loader.loadString("a", Manifests.toYaml(d)).deployments()).containsExactly(d);
        assertThat(loader.loadString("b", Manifests.toJson(d)).deployments()).containsExactly(d);
    }

    @Test
    void outputOmitsNullsAndHelperAccessors() {
        String json = Manifests.toJson(ManifestLoaderTest.single(loader.loadString("m.yaml", ManifestLoaderTest.MINIMAL)));

        assertThat(json).doesNotContain("null").doesNotContain("previewPort").doesNotContain("memoryBytes")
                .doesNotContain("cpuMillis");
        // Deployment.name() is a helper, not a field: only metadata.name is written.
        assertThat(json.split("\"name\"", -1)).hasSize(2);
        assertThat(json).startsWith("{\n  \"apiVersion\" : \"orch.dev/v1\",\n  \"kind\" : \"Deployment\",\n  \"metadata\"");
    }

    @Test
    void canonicalJsonSortsKeysAndIsStable() {
        Deployment a = full();
        Deployment b = new Deployment(a.apiVersion(), a.kind(),
                new ObjectMeta("web", new java.util.TreeMap<>(a.metadata().labels()).descendingMap(), a.metadata().annotations()),
                a.spec());

        String canonical = Manifests.canonicalJson(a);

        assertThat(Manifests.canonicalJson(b)).isEqualTo(canonical);
        assertThat(canonical).startsWith("{\"apiVersion\":\"orch.dev/v1\",\"kind\":\"Deployment\",\"metadata\":{\"annotations\":");
        assertThat(canonical).contains("\"labels\":{\"app.kubernetes.io/name\":\"web\",\"tier\":\"web\"}");
        assertThat(canonical).contains("\"route\":{\"bindAddress\":\"::1\",\"drainTimeoutSeconds\":5,\"port\":8080,\"previewPort\":8081,\"protocol\":\"tcp\"}");
        assertThat(canonical).doesNotContain("\n").doesNotContain(" :");
        assertThat(Manifests.canonicalJson(a.spec().template()))
                .isNotEqualTo(Manifests.canonicalJson(new Template(List.of("/usr/bin/web2"), List.of(), List.of(), null, null,
                        "PORT", null, null, null, Resources.NONE, Hardening.DEFAULTS, 30)));
    }

    @Test
    void examplesRoundTrip() {
        for (Deployment d : loader.load(Path.of("manifests")).deployments()) {
            assertThat(loader.loadString("x", Manifests.toYaml(d)).deployments()).containsExactly(d);
        }
    }
}
