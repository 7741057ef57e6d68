package dev.orch.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.EnvVar;
import dev.orch.manifest.LoadResult;
import dev.orch.manifest.ManifestLoader;
import dev.orch.manifest.Manifests;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTest {
    static final String WEB = """
            apiVersion: orch.dev/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 3
              nodeSelector:
                role: web
              nodeAffinity:
                matchExpressions:
                  - {key: environment, operator: In, values: [prod, staging]}
                  - {key: drain, operator: DoesNotExist}
              route:
                port: 8080
              template:
                command: ["/usr/bin/web"]
                artifact: {path: /srv/web-1.0.jar}
                env:
                  - {name: GREETING, value: hello}
                  - {name: MODE, value: prod}
              overrides:
                - nodeSelector: {environment: staging}
                  replicas: 1
                  route: {port: 8081}
                  artifact: {path: /srv/web-1.1-rc.jar}
                  env:
                    - {name: MODE, value: staging}
                    - {name: DEBUG, value: "1"}
                - nodeSelector: {environment: staging, region: eu}
                  env:
                    - {name: MODE, value: staging-eu}
            """;

    static Deployment load(String yaml) {
        LoadResult r = new ManifestLoader().loadString("web.yaml", yaml);
        assertThat(r.errors()).isEmpty();
        return r.deployments().get(0);
    }

    @Test
    void aProdHostRunsTheManifestAsWrittenWithoutItsOverrides() {
        Deployment web = load(WEB);
        Placement.Decision d = Placement.decide(web, Map.of("role", "web", "environment", "prod"));

        assertThat(d.runs()).isTrue();
        assertThat(d.reason()).isEqualTo("nodeSelector role=web matches; nodeAffinity matches");
        assertThat(d.effective().spec().replicas()).isEqualTo(3);
        assertThat(d.effective().spec().route().port()).isEqualTo(8080);
        assertThat(d.effective().spec().template().env()).containsExactly(new EnvVar("GREETING", "hello"), new EnvVar("MODE", "prod"));
        assertThat(d.effective().spec().overrides()).isNull();
        assertThat(d.effective().spec().nodeSelector()).isEqualTo(Map.of("role", "web"));
    }

    @Test
    void aStagingHostGetsEveryMatchingOverrideInOrder() {
        Deployment web = load(WEB);
        Placement.Decision d = Placement.decide(web, Map.of("role", "web", "environment", "staging", "region", "eu"));

        assertThat(d.runs()).isTrue();
        assertThat(d.reason()).isEqualTo("nodeSelector role=web matches; nodeAffinity matches; overrides applied: "
                + "overrides[0] (environment=staging), overrides[1] (environment=staging,region=eu)");
        assertThat(d.effective().spec().replicas()).isEqualTo(1);
        assertThat(d.effective().spec().route().port()).isEqualTo(8081);
        assertThat(d.effective().spec().template().artifact().path()).isEqualTo("/srv/web-1.1-rc.jar");
        // replaced by name in place, new ones appended; the later override wins
        assertThat(d.effective().spec().template().env()).containsExactly(new EnvVar("GREETING", "hello"), new EnvVar("MODE", "staging-eu"),
                new EnvVar("DEBUG", "1"));
    }

    @Test
    void aChangeToStagingValuesLeavesWhatProdRunsIdentical() {
        Map<String, String> prod = Map.of("role", "web", "environment", "prod");
        Deployment before = Placement.decide(load(WEB), prod).effective();
        Deployment after = Placement.decide(load(WEB.replace("value: staging}", "value: staging-2}")), prod).effective();

        assertThat(after).isEqualTo(before);
        assertThat(Manifests.canonicalJson(after)).isEqualTo(Manifests.canonicalJson(before));
    }

    @Test
    void eachRequirementThatFailsIsNamedWithTheHostsLabel() {
        Deployment web = load(WEB);
        assertThat(Placement.decide(web, Map.of("environment", "prod")).reason())
                .isEqualTo("nodeSelector role=web does not match: this host has no label role");
        assertThat(Placement.decide(web, Map.of("role", "worker", "environment", "prod")).reason())
                .isEqualTo("nodeSelector role=web does not match: this host has role=worker");
        assertThat(Placement.decide(web, Map.of("role", "web", "environment", "dev")).reason())
                .isEqualTo("nodeAffinity.matchExpressions[0] environment In (prod, staging) does not hold: this host has environment=dev");
        Placement.Decision drained = Placement.decide(web, Map.of("role", "web", "environment", "prod", "drain", "yes"));
        assertThat(drained.runs()).isFalse();
        assertThat(drained.effective()).isNull();
        assertThat(drained.reason()).isEqualTo("nodeAffinity.matchExpressions[1] drain DoesNotExist does not hold: this host has drain=yes");
    }

    @Test
    void operatorsHoldAsInKubernetes() {
        var notIn = new dev.orch.manifest.NodeAffinity.MatchExpression("environment", "NotIn", java.util.List.of("prod"));
        var exists = new dev.orch.manifest.NodeAffinity.MatchExpression("gpu", "Exists", java.util.List.of());
        assertThat(Placement.holds(notIn, Map.of("environment", "staging"))).isTrue();
        assertThat(Placement.holds(notIn, Map.of())).isTrue();
        assertThat(Placement.holds(notIn, Map.of("environment", "prod"))).isFalse();
        assertThat(Placement.holds(exists, Map.of("gpu", ""))).isTrue();
        assertThat(Placement.holds(exists, Map.of())).isFalse();
    }

    @Test
    void aManifestWithoutSelectorRunsEverywhereUnchanged() {
        Deployment plain = load(dev.orch.manifest.ManifestLoaderTestAccess.MINIMAL);
        Placement.Decision d = Placement.decide(plain, Map.of("environment", "prod"));
        assertThat(d.runs()).isTrue();
        assertThat(d.reason()).isEqualTo("no selector: every host runs it");
        assertThat(d.effective()).isSameAs(plain);
    }
}
