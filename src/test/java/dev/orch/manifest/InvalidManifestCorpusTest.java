package dev.orch.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code manifests/invalid/} must fail with exactly the errors in its sidecar
 * {@code <file>.expected}: one {@link ManifestError#toString()} per line, FILE being the bare file name.
 */
class InvalidManifestCorpusTest {
    static final Path CORPUS = Path.of("src/test/resources/manifests/invalid");

    static Stream<Path> corpus() throws IOException {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(p -> !p.toString().endsWith(".expected")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void reportsExactlyTheExpectedErrors(Path file) throws IOException {
        LoadResult result = new ManifestLoader().load(file);
        List<String> actual = result.errors().stream()
                .map(e -> shortNames(e, file).toString())
                .toList();
        Path expectedFile = Path.of(file + ".expected");
        assertThat(expectedFile).as("sidecar with the expected errors; actual:%n%s", String.join("\n", actual)).exists();
        List<String> expected = Files.readAllLines(expectedFile, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .toList();
        assertThat(actual).isEqualTo(expected);
        assertThat(result.ok()).isFalse();
    }

    /** FILE as the bare file name, also where a message names a place (duplicate apps). */
    static ManifestError shortNames(ManifestError e, Path file) {
        String name = file.getFileName().toString();
        return new ManifestError(name, e.line(), e.column(), e.field(), e.message().replace(file.toString(), name));
    }

    @Test
    void corpusIsLargeAndEveryCaseHasItsExpectation() throws IOException {
        List<Path> cases = corpus().toList();
        assertThat(cases).hasSizeGreaterThan(70); // docs/manifest.md says "more than 70"
        try (Stream<Path> files = Files.list(CORPUS)) {
            files.filter(p -> p.toString().endsWith(".expected"))
                    .forEach(p -> assertThat(Path.of(p.toString().replaceFirst("\\.expected$", ""))).exists());
        }
    }
}
