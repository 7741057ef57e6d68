package dev.orch.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlacementManifestTest {
    final ManifestLoader loader = new ManifestLoader();

    static String with(String specLines) {
        return ManifestLoaderTest.MINIMAL.replace("spec:\n", "spec:\n" + specLines);
    }

    @Test
    void badSelectorsAndOverridesAreReportedByLineAndField() {
        String yaml = with("""
                  nodeSelector:
                    "bad key!": x
                  nodeAffinity:
                    matchExpressions:
                      - {key: environment, operator: Within, values: [prod]}
                      - {key: environment, operator: In}
                      - {key: gpu, operator: Exists, values: [yes]}
                  overrides:
                    - nodeSelector: {}
                      replicas: 0
                    - replicas: 2
                      color: blue
                """);
        assertThat(loader.loadString("web.yaml", yaml).errors()).extracting(Object::toString).containsExactly(
                "web.yaml:7:5: spec.nodeSelector[\"bad key!\"]: " + Rules.labelKey("bad key!"),
                "web.yaml:10:38: spec.nodeAffinity.matchExpressions[0].operator: unknown operator \"Within\": use In, NotIn, Exists or DoesNotExist",
                "web.yaml:11:9: spec.nodeAffinity.matchExpressions[1].values: In needs at least one value",
                "web.yaml:12:46: spec.nodeAffinity.matchExpressions[2].values: Exists takes no values",
                "web.yaml:14:21: spec.overrides[0].nodeSelector: must name at least one label (an override for every host is the manifest itself)",
                "web.yaml:15:17: spec.overrides[0].replicas: must be between 1 and 64, got 0",
                "web.yaml:16:7: spec.overrides[1].nodeSelector: required field is missing",
                "web.yaml:17:7: spec.overrides[1].color: unknown field \"color\"; allowed: nodeSelector, replicas, route, artifact, env");
    }

    @Test
    void placementFieldsSurviveTheRoundTripAndAreAbsentFromOldHashes() {
        String yaml = with("""
                  nodeSelector: {environment: prod}
                  nodeAffinity:
                    matchExpressions: [{key: role, operator: NotIn, values: [batch]}]
                  overrides:
                    - nodeSelector: {environment: staging}
                      route: {port: 9090}
                      env: [{name: MODE, value: staging}]
                """);
        Deployment d = loader.loadString("web.yaml", yaml).deployments().get(0);
        Deployment back = loader.loadString("out.yaml", Manifests.toYaml(d)).deployments().get(0);
        assertThat(back).isEqualTo(d);
        Deployment plain = loader.loadString("web.yaml", ManifestLoaderTest.MINIMAL).deployments().get(0);
        assertThat(Manifests.canonicalJson(plain)).doesNotContain("nodeSelector", "nodeAffinity", "overrides");
    }
}
