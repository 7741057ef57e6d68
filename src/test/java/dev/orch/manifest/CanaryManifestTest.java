package dev.orch.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code spec.strategy.canary}: its steps, its analysis, and the errors of a bad one. */
class CanaryManifestTest {
    final ManifestLoader loader = new ManifestLoader();

    static String manifest(String strategy) {
        return """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  route: {port: 8080}
                  template:
                    command: ["/usr/bin/python3"]
                  strategy:
                %s
                """.formatted(strategy.indent(4).stripTrailing());
    }

    List<String> errors(String strategy) {
        return loader.loadString("web.yaml", manifest(strategy)).errors().stream().map(Object::toString).toList();
    }

    @Test
    void stepsAndAnalysisAreRead() {
        Deployment d = ManifestLoaderTest.single(loader.loadString("web.yaml", manifest("""
                canary:
                  steps:
                    - setWeight: 10
                    - pause: {durationSeconds: 60}
                    - setWeight: 50
                    - pause: {}
                  analysis: {intervalSeconds: 5, max5xxPercent: 2, maxP99Ratio: 3, failureLimit: 4}
                """)));
        Strategy s = d.spec().strategy();
        assertThat(s.type()).isEqualTo("Canary");
        assertThat(s.canary().steps()).containsExactly(Strategy.Step.weight(10), Strategy.Step.pauseFor(60), Strategy.Step.weight(50),
                Strategy.Step.pauseFor(null));
        assertThat(s.canary().analysis()).isEqualTo(new Strategy.Analysis(true, 5, 2, 3, 4));
        assertThat(s.blueGreen().bake().enabled()).as("no bake after a canary's switch").isFalse();
        assertThat(s.blueGreen().keepWarmSeconds()).isEqualTo(300);
    }

    @Test
    void aCanaryManifestIsWrittenBackAsItIsRead() {
        Deployment d = ManifestLoaderTest.single(loader.loadString("web.yaml", manifest(
                "canary: {steps: [{setWeight: 10}, {pause: {durationSeconds: 5}}, {pause: {}}], analysis: {intervalSeconds: 3}}")));
        String yaml = Manifests.toYaml(d);
        assertThat(yaml).contains("- setWeight: 10", "- pause:\n          durationSeconds: 5", "- pause: {}").doesNotContain("blueGreen");
        assertThat(loader.loadString("back.yaml", yaml).deployments()).containsExactly(d);
    }

    @Test
    void theAnalysisDefaultsToTheBakesLimitsAndCanBeTurnedOff() {
        Strategy on = ManifestLoaderTest.single(loader.loadString("web.yaml", manifest("canary: {steps: [{setWeight: 20}]}"))).spec().strategy();
        assertThat(on.canary().analysis()).isEqualTo(Strategy.Analysis.DEFAULT);
        Strategy off = ManifestLoaderTest.single(loader.loadString("web.yaml",
                manifest("type: Canary\ncanary: {steps: [{setWeight: 20}], analysis: {enabled: false}}"))).spec().strategy();
        assertThat(off.canary().analysis().enabled()).isFalse();
    }

    @Test
    void blueGreenAndCanaryAreMutuallyExclusive() {
        assertThat(errors("blueGreen: {keepWarmSeconds: 5}\ncanary: {steps: [{setWeight: 10}]}"))
                .containsExactly("web.yaml:11:13: spec.strategy.canary: set either blueGreen or canary, not both: they are different strategies");
        assertThat(errors("type: BlueGreen\ncanary: {steps: [{setWeight: 10}]}"))
                .containsExactly("web.yaml:10:11: spec.strategy.type: type BlueGreen does not go with canary: write type: Canary or leave type out");
        assertThat(errors("type: Canary")).containsExactly("web.yaml:9:3: spec.strategy.canary: required field is missing");
        assertThat(errors("type: Rolling")).containsExactly("web.yaml:10:11: spec.strategy.type: unsupported strategy type \"Rolling\": use BlueGreen or Canary");
    }

    @Test
    void badStepsSayWhatIsAllowed() {
        assertThat(errors("canary: {steps: [{setWeight: 120}]}"))
                .containsExactly("web.yaml:10:34: spec.strategy.canary.steps[0].setWeight: must be a percentage from 0 to 100, got 120");
        assertThat(errors("canary: {steps: [{setWeight: 10, pause: {}}]}")).singleElement().asString()
                .contains("spec.strategy.canary.steps[0]: each step is either setWeight (a percentage) or pause");
        assertThat(errors("canary: {steps: []}")).singleElement().asString()
                .contains("spec.strategy.canary.steps: needs at least one step");
        assertThat(errors("canary: {steps: [{pause: {duration: 5}}]}")).singleElement().asString()
                .contains("spec.strategy.canary.steps[0].pause.duration: unknown field \"duration\"");
        assertThat(errors("canary: {steps: [{setWeight: 10}], analysis: {durationSeconds: 5}}")).singleElement().asString()
                .contains("spec.strategy.canary.analysis.durationSeconds: unknown field");
    }
}
