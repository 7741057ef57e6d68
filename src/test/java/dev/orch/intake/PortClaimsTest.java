package dev.orch.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.ManifestLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Route ports an apply may not take: addresses compare parsed, a wildcard overlaps everything. */
class PortClaimsTest {
    static Deployment app(String name, int port, String address) {
        String yaml = """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: %s
                spec:
                  route:
                    port: %d
                    bindAddress: "%s"
                  template:
                    command: ["/usr/bin/web"]
                """.formatted(name, port, address);
        return new ManifestLoader().loadString("test.yaml", yaml).deployments().get(0);
    }

    @Test
    void anotherSpellingOfTheSameAddressIsTheSameListener() {
        assertThat(PortClaims.conflicts(List.of(app("web", 8080, "::1")), Map.of(), Map.of("api", app("api", 8080, "0:0:0:0:0:0:0:1"))))
                .containsExactly("web: spec.route.port: port 8080 is already the route of app \"api\"; choose another port");
        assertThat(PortClaims.conflicts(List.of(app("web", 8080, "0:0::0")), Map.of(), Map.of("api", app("api", 8080, "127.0.0.1"))))
                .as("an IPv6 wildcard written long").hasSize(1);
        assertThat(PortClaims.conflicts(List.of(app("web", 8080, "127.0.0.1")), Map.of(), Map.of("api", app("api", 8080, "127.0.0.2"))))
                .isEmpty();
        assertThat(PortClaims.conflicts(List.of(app("web", 9464, "127.0.0.1")), Map.of(9464, "orchd's metrics and health listener"), Map.of()))
                .containsExactly("web: spec.route.port: port 9464 is orchd's metrics and health listener; choose another port");
    }
}
