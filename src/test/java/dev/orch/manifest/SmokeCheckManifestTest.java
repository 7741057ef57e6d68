package dev.orch.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code strategy.blueGreen.smokeChecks}: defaults, what is allowed, and that an absent list is not rendered. */
class SmokeCheckManifestTest {
    final ManifestLoader loader = new ManifestLoader();

    static String withSmoke(String checks) {
        return ManifestLoaderTest.MINIMAL + "  strategy:\n    blueGreen:\n      smokeChecks:\n" + checks;
    }

    @Test
    void fillsTheDefaultsOfEveryCheck() {
        Deployment d = ManifestLoaderTest.single(loader.loadString("web.yaml", withSmoke("""
                        - path: /smoke
                        - {path: "/api/orders?dry=1", method: HEAD, headers: [{name: X-Smoke-Test, value: "1"}], expectStatus: 302, timeoutSeconds: 60}
                """)));
        assertThat(d.spec().strategy().blueGreen().smokeChecks()).containsExactly(
                new SmokeCheck("/smoke", "GET", List.of(), 200, 5),
                new SmokeCheck("/api/orders?dry=1", "HEAD", List.of(new Probe.HttpHeader("X-Smoke-Test", "1")), 302, 60));
    }

    @Test
    void everyDocumentedMethodIsAccepted() {
        for (String m : List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
            Deployment d = ManifestLoaderTest.single(loader.loadString("web.yaml", withSmoke("        - {path: /, method: " + m + "}\n")));
            assertThat(d.spec().strategy().blueGreen().smokeChecks().get(0).method()).isEqualTo(m);
        }
    }

    @Test
    void anAbsentOrEmptyListIsNoneAndIsNotRendered() {
        Deployment absent = ManifestLoaderTest.single(loader.loadString("web.yaml", ManifestLoaderTest.MINIMAL));
        Deployment empty = ManifestLoaderTest.single(loader.loadString("web.yaml", withSmoke("        []\n").replace("smokeChecks:\n        []", "smokeChecks: []")));
        for (Deployment d : List.of(absent, empty)) {
            assertThat(d.spec().strategy().blueGreen().smokeChecks()).isNull();
            assertThat(d.spec().strategy().blueGreen().smokeChecksOrNone()).isEmpty();
            assertThat(Manifests.toYaml(d)).doesNotContain("smokeChecks");
            assertThat(Manifests.toJson(d)).doesNotContain("smokeChecks");
        }
    }

    @Test
    void renderedChecksReadBackEqual() {
        Deployment d = ManifestLoaderTest.single(loader.loadString("web.yaml", withSmoke(
                "        - {path: /smoke, method: POST, headers: [{name: X-A, value: b}], expectStatus: 201, timeoutSeconds: 3}\n")));
        String yaml = Manifests.toYaml(d);
        assertThat(yaml).contains("smokeChecks:");
        assertThat(ManifestLoaderTest.single(loader.loadString("back.yaml", yaml))).isEqualTo(d);
    }

    @Test
    void atMostTwentyChecks() {
        String twentyOne = "        - {path: /}\n".repeat(21);
        assertThat(loader.loadString("web.yaml", withSmoke(twentyOne)).errors()).extracting(Object::toString)
                .containsExactly("web.yaml:13:9: spec.strategy.blueGreen.smokeChecks: at most 20 smoke checks, got 21");
        assertThat(loader.loadString("web.yaml", withSmoke("        - {path: /}\n".repeat(20))).errors()).isEmpty();
    }
}
