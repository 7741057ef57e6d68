package dev.orch.manifest;

import static dev.orch.manifest.ManifestLoaderTest.MINIMAL;
import static dev.orch.manifest.ManifestLoaderTest.minimal;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile input the corpus cannot hold as one file: directory loads, byte-level encodings, mixed streams, odd file names. */
class HostileManifestTest {
    static final ManifestLoader LOADER = new ManifestLoader();

    /** The column counts characters, not bytes, and a byte order mark is not a column. */
    @Test
    void invalidUtf8IsReportedAtTheLineAndColumnOfTheBadByte() {
        byte[] good = ("\uFEFF" + MINIMAL + "    args: [\"\u00e9t\u00e9 ").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = Arrays.copyOf(good, good.length + 3);
        bytes[good.length] = (byte) 0xc3; // a lead byte followed by one that cannot continue it
        bytes[good.length + 1] = '(';
        bytes[good.length + 2] = '"';

        assertThat(LOADER.loadAll(Map.of("web.yaml", bytes)).errors()).extracting(Object::toString)
                .containsExactly("web.yaml:10:17: not valid UTF-8: byte 0xC3 does not start or continue a character");
        assertThat(LOADER.load("<stdin>", new ByteArrayInputStream(new byte[] {'a', ':', '\n', ' ', (byte) 0x80}))
                        .errors()).extracting(Object::toString)
                .containsExactly("<stdin>:2:2: not valid UTF-8: byte 0x80 does not start or continue a character");
    }

    /** A tag that once threw (NumberFormatException) stopped a directory load there and hid the other files' errors. */
    @Test
    void aTaggedValueIsAnErrorOfItsFileAndTheOtherFilesStillLoad(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.yaml"), MINIMAL.replace("spec:\n", "spec:\n  replicas: !!int abc\n"));
        Files.writeString(dir.resolve("b.yaml"), minimal("b", 8081).replace("port: 8081", "port: !!str 8081"));
        Files.writeString(dir.resolve("c.yaml"), minimal("c", 8082));

        LoadResult result = LOADER.load(dir);

        assertThat(result.errors()).extracting(Object::toString).containsExactly(
                dir.resolve("a.yaml") + ":6:13: spec.replicas: tag !!int is not allowed: expected an integer, written without a tag",
                dir.resolve("b.yaml") + ":7:11: spec.route.port: tag !!str is not allowed: expected an integer, written without a tag");
        assertThat(result.deployments()).extracting(Deployment::name).containsExactly("c");
    }

    /** The JSON clean-up belongs to a JSON document only: a later YAML document keeps a tab inside its value. */
    @Test
    void aYamlDocumentAfterAJsonOneKeepsItsTabs() {
        String json = "{\"apiVersion\":\t\"orch.dev/v1\", \"kind\": \"Deployment\", \"metadata\": {\"name\": \"json\"},"
                + " \"spec\": {\"route\": {\"port\": 8080}, \"template\": {\"command\": [\"\\/usr\\/bin\\/web\"],"
                + " \"env\": [{\"name\": \"A\", \"value\": \"x\\ty\"}]}}}\n";
        String yaml = minimal("yaml", 8081) + "    env:\n      - name: A\n        value: a\tb 'c\td'\n";

        LoadResult result = LOADER.loadString("mixed", json + "---\n" + yaml + "--- " + json.replace("json", "json2").replace("8080", "8082"));

        assertThat(result.errors()).isEmpty();
        assertThat(result.deployments()).extracting(d -> d.name() + "=" + d.spec().template().env().get(0).value())
                .containsExactly("json=x\ty", "yaml=a\tb 'c\td'", "json2=x\ty");
        assertThat(result.deployments().get(0).spec().template().command()).containsExactly("/usr/bin/web");
    }

    /** A file name is part of the error line too: its control characters are escaped like a field's. */
    @Test
    void controlCharactersInFileNamesFieldsAndMessagesArePrintedEscaped() {
        LoadResult result = LOADER.loadAll(Map.of("a\nb\u001b.yaml", minimal("a", 8080).replace("port: 8080", "port: 8080\n    \"x\\a\": 1")
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(result.errors()).extracting(Object::toString).containsExactly(
                "a\\nb\\x1b.yaml:8:5: spec.route.x\\x07: unknown field \"x\\x07\"; allowed: port, protocol, bindAddress, previewPort, drainTimeoutSeconds, hosts, pathPrefix, stripPathPrefix, tls");
        assertThat(result.errors().get(0).toString()).doesNotContainPattern("\\p{Cntrl}");
    }
}
