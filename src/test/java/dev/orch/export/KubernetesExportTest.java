package dev.orch.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.orch.manifest.Deployment;
import dev.orch.manifest.LoadedManifest;
import dev.orch.manifest.ManifestLoader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KubernetesExportTest {
    static final ObjectMapper STRICT = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<LoadedManifest> examples() {
        var r = new ManifestLoader().load(Path.of("manifests"));
        assertThat(r.errors()).isEmpty();
        assertThat(r.manifests()).hasSizeGreaterThanOrEqualTo(5);
        return r.manifests().stream();
    }

    /** The documents of a YAML stream, each parsed strictly into its model class: an unknown field anywhere fails. */
    static List<KubernetesResource> parseStrictly(String yaml) throws Exception {
        List<KubernetesResource> out = new ArrayList<>();
        try (YAMLParser p = new YAMLFactory().createParser(yaml)) {
            for (var it = YAML.readValues(p, ObjectNode.class); it.hasNext(); ) {
                ObjectNode doc = it.next();
                String kind = doc.get("apiVersion").asText() + "/" + doc.get("kind").asText();
                Class<? extends KubernetesResource> type = switch (kind) {
                    case "apps/v1/Deployment" -> io.fabric8.kubernetes.api.model.apps.Deployment.class;
                    case "v1/Service" -> Service.class;
                    default -> throw new AssertionError("unexpected object " + kind);
                };
                KubernetesResource r = STRICT.treeToValue(doc, type);
                // the model keeps unknown fields in additionalProperties instead of failing: none may be there
                assertNoUnknownFields(r, kind);
                out.add(r);
            }
        }
        return out;
    }

    static void assertNoUnknownFields(Object o, String path) throws Exception {
        if (o == null || !o.getClass().getName().startsWith("io.fabric8.")) {
            if (o instanceof Collection<?> c) {
                int i = 0;
                for (Object e : c) {
                    assertNoUnknownFields(e, path + "[" + i++ + "]");
                }
            } else if (o instanceof Map<?, ?> m) {
                for (var e : m.entrySet()) {
                    assertNoUnknownFields(e.getValue(), path + "." + e.getKey());
                }
            }
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object v = m.invoke(o);
            if (m.getName().equals("getAdditionalProperties")) {
                assertThat((Map<?, ?>) v).as("unknown fields at %s", path).isEmpty();
            } else {
                assertNoUnknownFields(v, path + "." + m.getName().substring(3));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleParsesBackAsADeploymentAndAServiceThatAgree(LoadedManifest m) throws Exception {
        Deployment d = m.deployment();
        List<KubernetesResource> objects = parseStrictly(KubernetesYaml.write(KubernetesExport.export(d)));

        assertThat(objects).hasSize(2);
        var dep = (io.fabric8.kubernetes.api.model.apps.Deployment) objects.get(0);
        var svc = (Service) objects.get(1);
        assertThat(dep.getApiVersion()).isEqualTo("apps/v1");
        assertThat(svc.getApiVersion()).isEqualTo("v1");
        assertThat(dep.getMetadata().getName()).isEqualTo(d.name());
        assertThat(dep.getSpec().getReplicas()).isEqualTo(d.spec().replicas());
        Map<String, String> podLabels = dep.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(d.metadata().labels()).containsEntry(KubernetesExport.NAME_LABEL, d.name());
        assertThat(podLabels).containsAllEntriesOf(dep.getSpec().getSelector().getMatchLabels());
        assertThat(podLabels).containsAllEntriesOf(svc.getSpec().getSelector());
        assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(d.spec().route().port());
            assertThat(p.getTargetPort().getStrVal()).isEqualTo("route");
        });
        Container c = dep.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("route");
            assertThat(p.getContainerPort()).isEqualTo(d.spec().route().port());
        });
        assertThat(c.getImage()).isEqualTo(d.metadata().annotations().get(KubernetesExport.IMAGE_ANNOTATION));
        assertThat(c.getCommand()).isEqualTo(d.spec().template().command());
        var t = d.spec().template();
        for (var e : t.env()) {
            assertThat(c.getEnv()).anySatisfy(k -> assertThat(k.getName() + "=" + k.getValue()).isEqualTo(e.name() + "=" + e.value()));
        }
        probe(t.readinessProbe(), c.getReadinessProbe());
        probe(t.livenessProbe(), c.getLivenessProbe());
        var limits = c.getResources() == null ? Map.<String, io.fabric8.kubernetes.api.model.Quantity>of() : c.getResources().getLimits();
        assertThat(limits.get("memory") == null ? null : limits.get("memory").toString()).isEqualTo(t.resources().limits().memory());
        assertThat(limits.get("cpu") == null ? null : limits.get("cpu").toString()).isEqualTo(t.resources().limits().cpu());
    }

    static void probe(dev.orch.manifest.Probe orch, io.fabric8.kubernetes.api.model.Probe k) {
        if (orch == null) {
            assertThat(k).isNull();
            return;
        }
        assertThat(List.of(k.getPeriodSeconds(), k.getFailureThreshold(), k.getInitialDelaySeconds(), k.getTimeoutSeconds(), k.getSuccessThreshold()))
                .isEqualTo(List.of(orch.periodSeconds(), orch.failureThreshold(), orch.initialDelaySeconds(), orch.timeoutSeconds(), orch.successThreshold()));
        if (orch.httpGet() != null) {
            assertThat(k.getHttpGet().getPath()).isEqualTo(orch.httpGet().path());
        }
        if (orch.tcpSocket() != null) {
            var want = orch.tcpSocket().port() == null ? new io.fabric8.kubernetes.api.model.IntOrString("route") : new io.fabric8.kubernetes.api.model.IntOrString(orch.tcpSocket().port());
            assertThat(k.getTcpSocket().getPort()).isEqualTo(want);
        }
    }

    @Test
    void helloIsPinnedByItsGoldenFile() throws Exception {
        Deployment hello = new ManifestLoader().load(Path.of("manifests/hello")).deployments().get(0);
        assertThat(KubernetesYaml.write(KubernetesExport.export(hello))).isEqualTo(Files.readString(Path.of("src/test/resources/export/hello.yaml")));
    }

    @Test
    void aSealedValueBecomesASecretReferenceNeverTheText() throws Exception {
        var e = KubernetesExport.env("web", "DB_PASSWORD", "s3cret", true);
        assertThat(e.getValue()).isNull();
        assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("web-sealed");
        assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("DB_PASSWORD");
        assertThat(STRICT.writeValueAsString(e)).doesNotContain("s3cret");
    }

    @Test
    void aManifestsSealedEnvValueIsExportedAsASecretReference() throws Exception {
        String armored = "-----BEGIN AGE ENCRYPTED FILE-----\n  YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSB4\n  -----END AGE ENCRYPTED FILE-----";
        String yaml = Files.readString(Path.of("manifests/hello/hello.yaml")).replace("    env:\n", "    env:\n      - name: DB_PASSWORD\n        sealedValue: |\n          "
                + armored.replace("\n  ", "\n          ") + "\n");
        assertThat(yaml).contains("sealedValue");
        Deployment d = new ManifestLoader().loadString("hello.yaml", yaml).deployments().get(0);
        String out = KubernetesYaml.write(KubernetesExport.export(d));
        var dep = (io.fabric8.kubernetes.api.model.apps.Deployment) parseStrictly(out).get(0);
        var db = dep.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream().filter(v -> v.getName().equals("DB_PASSWORD")).findFirst().orElseThrow();
        assertThat(db.getValue()).isNull();
        assertThat(db.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hello-sealed");
        assertThat(db.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("DB_PASSWORD");
        assertThat(out).doesNotContain("AGE ENCRYPTED");
    }

    @Test
    void sealedFilesBecomeASecretVolumeAtTheCredentialsDirectory() throws Exception {
        String yaml = Files.readString(Path.of("manifests/hello/hello.yaml")).replace("    env:\n", "    secretFiles:\n      - name: tls.key\n        sealedValue: |\n"
                + "          -----BEGIN AGE ENCRYPTED FILE-----\n          YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSB4\n          -----END AGE ENCRYPTED FILE-----\n    env:\n");
        Deployment d = new ManifestLoader().loadString("hello.yaml", yaml).deployments().get(0);
        assertThat(d.spec().template().secretFiles()).hasSize(1);
        String out = KubernetesYaml.write(KubernetesExport.export(d));
        var pod = ((io.fabric8.kubernetes.api.model.apps.Deployment) parseStrictly(out).get(0)).getSpec().getTemplate().getSpec();
        var volume = pod.getVolumes().get(0);
        assertThat(volume.getSecret().getSecretName()).isEqualTo("hello-sealed-files");
        assertThat(volume.getSecret().getItems()).extracting(i -> i.getKey() + "->" + i.getPath()).containsExactly("tls.key->tls.key");
        var c = pod.getContainers().get(0);
        assertThat(c.getVolumeMounts()).extracting(m -> m.getName() + "@" + m.getMountPath()).containsExactly("sealed-files@/run/secrets/orch");
        assertThat(c.getEnv()).anySatisfy(e -> assertThat(e.getName() + "=" + e.getValue()).isEqualTo("CREDENTIALS_DIRECTORY=/run/secrets/orch"));
        assertThat(out).doesNotContain("AGE ENCRYPTED");
    }

    @Test
    void placementBecomesNodeSelectorAndRequiredNodeAffinity() throws Exception {
        String yaml = Files.readString(Path.of("manifests/hello/hello.yaml")).replace("spec:\n", """
                spec:
                  nodeSelector: {environment: prod}
                  nodeAffinity:
                    matchExpressions: [{key: role, operator: NotIn, values: [batch]}]
                """);
        Deployment d = new ManifestLoader().loadString("hello.yaml", yaml).deployments().get(0);
        var dep = (io.fabric8.kubernetes.api.model.apps.Deployment) parseStrictly(KubernetesYaml.write(KubernetesExport.export(d))).get(0);
        var pod = dep.getSpec().getTemplate().getSpec();
        assertThat(pod.getNodeSelector()).isEqualTo(Map.of("environment", "prod"));
        var req = pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0)
                .getMatchExpressions().get(0);
        assertThat(List.of(req.getKey(), req.getOperator(), req.getValues())).isEqualTo(List.of("role", "NotIn", List.of("batch")));
    }

    @Test
    void anAppWithoutImageIsRefusedNamingTheAnnotation() {
        Deployment d = new ManifestLoader().loadString("x.yaml", dev.orch.manifest.ManifestLoaderTestAccess.MINIMAL).deployments().get(0);
        assertThatThrownBy(() -> KubernetesExport.export(d)).hasMessage("metadata.annotations[\"export.orch.dev/image\"]: required for export:"
                + " name the container image that holds the app (an artifact is a file, not an image)");
    }

    @Test
    void theStrictParserRejectsAnUnknownField() {
        assertThatThrownBy(() -> parseStrictly("apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {selectr: {a: b}}\n"))
                .hasMessageContaining("unknown fields at v1/Service.Spec");
    }
}
