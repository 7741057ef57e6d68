package dev.orch.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.LoadResult;
import dev.orch.manifest.ManifestLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One host+prefix belongs to one app: a second claim names the owner, at apply time and within one apply. */
class HostClaimsTest {
    static String yaml(String name, int port, String hosts, String prefix) {
        return """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: %s
                spec:
                  route:
                    port: %d
                    hosts: %s
                %s  template:
                    command: ["/usr/bin/web"]
                """.formatted(name, port, hosts, prefix == null ? "" : "    pathPrefix: " + prefix + "\n");
    }

    static Deployment app(String name, int port, String hosts, String prefix) {
        LoadResult r = new ManifestLoader().loadString("test.yaml", yaml(name, port, hosts, prefix));
        assertThat(r.errors()).isEmpty();
        return r.deployments().get(0);
    }

    @Test
    void aSecondClaimOfTheSameHostAndPrefixNamesTheOwner() {
        Map<String, Deployment> others = Map.of("shop", app("shop", 8081, "[shop.example.com, \"*.example.com\"]", "/api/"));
        assertThat(PortClaims.conflicts(List.of(app("web", 8082, "[a.example.com, shop.example.com]", "/api")), Map.of(), others))
                .containsExactly("web: spec.route.hosts[1]: host shop.example.com with path prefix /api is already routed to app \"shop\";"
                        + " choose another host or pathPrefix, or remove it from that app first");
        assertThat(PortClaims.conflicts(List.of(app("web", 8082, "[\"*.example.com\"]", "/api")), Map.of(), others))
                .as("the same wildcard is the same claim").hasSize(1);
        assertThat(PortClaims.conflicts(List.of(app("web", 8082, "[shop.example.com]", null)), Map.of(), others))
                .as("another prefix on the same host is another claim").isEmpty();
        assertThat(PortClaims.conflicts(List.of(app("shop", 8081, "[shop.example.com]", "/api")), Map.of(), others))
                .as("an app re-applying its own claim").isEmpty();
    }

    @Test
    void twoAppsClaimingOneHostInOneApplyIsAnErrorNamingTheFirst() {
        LoadResult r = new ManifestLoader().loadString("apps.yaml",
                yaml("shop", 8081, "[shop.example.com]", null) + "---\n" + yaml("web", 8082, "[shop.example.com]", null));
        assertThat(r.deployments()).extracting(Deployment::name).containsExactly("shop");
        assertThat(r.errors()).hasSize(1);
        assertThat(r.errors().get(0).toString()).contains("host shop.example.com is already routed to app \"shop\"");
    }

    @Test
    void badHostsAndPrefixesAreRefusedWithTheRule() {
        LoadResult r = new ManifestLoader().loadString("bad.yaml", yaml("web", 8080, "[\"Shop.example.com\", \"a..b\", \"x.org:80\"]", "api"));
        assertThat(r.errors()).extracting(Object::toString).anySatisfy(e -> assertThat(e).contains("spec.route.hosts[0]").contains("lower case"))
                .anySatisfy(e -> assertThat(e).contains("spec.route.hosts[1]"))
                .anySatisfy(e -> assertThat(e).contains("spec.route.hosts[2]").contains("no port"))
                .anySatisfy(e -> assertThat(e).contains("spec.route.pathPrefix").contains("starting with '/'"));
    }
}
