package dev.orch.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every example a user may copy from the top-level manifests/ directory validates. */
class ExampleManifestsTest {
    static final Path EXAMPLES = Path.of("manifests");

    @Test
    void everyExampleValidates() {
        assertThat(EXAMPLES).as("run from the project root").isDirectory();

        LoadResult result = new ManifestLoader().load(EXAMPLES);

        assertThat(result.errors()).extracting(Object::toString).isEmpty();
        assertThat(result.deployments()).extracting(Deployment::name).contains("hello", "echo");
    }

    @Test
    void eachExampleFileAlsoValidatesOnItsOwn() throws Exception {
        try (var files = Files.walk(EXAMPLES)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList()) {
                LoadResult result = new ManifestLoader().load(file);
                assertThat(result.errors()).as(file.toString()).extracting(Object::toString).isEmpty();
                assertThat(result.manifests()).as(file.toString()).isNotEmpty();
            }
        }
    }

    @Test
    void theAnnotatedExampleInTheDocsValidates() throws Exception {
        String doc = Files.readString(Path.of("docs/manifest.md"));
        int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
        String example = doc.substring(start, doc.indexOf("```", start));

        LoadResult result = new ManifestLoader().loadString("docs/manifest.md", example);

        assertThat(result.errors()).extracting(Object::toString).isEmpty();
        assertThat(result.deployments()).singleElement().satisfies(d -> assertThat(d.name()).isEqualTo("web"));
    }

    @Test
    void helloIsTheHttpExample() {
        Deployment hello = new ManifestLoader().load(EXAMPLES.resolve("hello/hello.yaml")).deployments().get(0);

        assertThat(hello.spec().route().protocol()).isEqualTo(Protocol.HTTP);
        assertThat(hello.spec().template().command()).containsExactly("/usr/bin/python3");
        assertThat(hello.spec().template().args()).containsExactly("$(ARTIFACT)", "--port", "$(PORT)");
        assertThat(hello.spec().template().artifact().path()).isEqualTo("/opt/orch/examples/hello/hello.py");
        assertThat(hello.spec().template().readinessProbe().httpGet().path()).isEqualTo("/healthz");
    }

    @Test
    void echoIsTheTcpExample() {
        Deployment echo = new ManifestLoader().load(EXAMPLES.resolve("echo/echo.yaml")).deployments().get(0);

        assertThat(echo.spec().route().protocol()).isEqualTo(Protocol.TCP);
        assertThat(echo.spec().template().readinessProbe().tcpSocket()).isNotNull();
    }
}
