package dev.orch.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rendered units and env files must equal the checked-in golden files byte for byte. After an intended change,
 * regenerate them with {@code mvn -o test -Dtest=UnitRendererGoldenTest -Dorch.golden.update=true} and review
 * the diff in git.
 */
class UnitRendererGoldenTest {
    static final boolean UPDATE = Boolean.getBoolean("orch.golden.update");

    static Stream<GoldenCases.Case> cases() {
        return GoldenCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGolden(GoldenCases.Case c) throws IOException {
        Path dir = GoldenCases.DIR.resolve(c.name());
        for (Map.Entry<String, String> f : GoldenCases.render(c).entrySet()) {
            Path file = dir.resolve(f.getKey());
            byte[] actual = f.getValue().getBytes(StandardCharsets.UTF_8);
            if (UPDATE) {
                Files.createDirectories(dir);
                Files.write(file, actual);
            }
            assertThat(file).as("golden file %s (regenerate with -Dorch.golden.update=true)", file).exists();
            assertThat(Files.readAllBytes(file)).as("%s differs from its golden file", file).isEqualTo(actual);
        }
    }

    @Test
    void everyGoldenDirectoryBelongsToACase() throws IOException {
        List<String> names = GoldenCases.all().stream().map(GoldenCases.Case::name).toList();
        try (Stream<Path> dirs = Files.list(GoldenCases.DIR)) {
            assertThat(dirs.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(names);
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(8);
    }
}
