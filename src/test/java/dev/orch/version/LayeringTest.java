package dev.orch.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Arrows run down the layers (DESIGN.md section 10): the CLI, the top face, is imported only by the entry point
 * {@code dev.orch.Main}; what the CLI shares with the daemon (the build version) lives below both, here.
 */
class LayeringTest {
    static final Path MAIN = Path.of("src/main/java/dev/orch");

    @Test
    void nothingButTheEntryPointImportsTheCli() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(MAIN)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(MAIN.resolve("cli")) && !p.equals(MAIN.resolve("Main.java")))
                    .filter(LayeringTest::importsCli)
                    .map(p -> MAIN.relativize(p).toString())
                    .toList();
        }
        assertThat(offenders).as("files outside dev.orch.cli that import it").isEmpty();
    }

    @Test
    void theBuildVersionIsFilteredInByMaven() {
        assertThat(BuildInfo.version()).isNotBlank().isNotEqualTo("unknown").doesNotContain("${");
    }

    private static boolean importsCli(Path p) {
        try {
            // an import or a fully qualified use
            return Files.readString(p).contains("dev.orch.cli.");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
