package dev.orch.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.state.Color;
import dev.orch.testing.SystemdNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** systemd itself judges the generated units: {@code systemd-analyze verify} and {@code security}. */
class GoldenUnitsIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();

    static final double MAX_EXPOSURE = 5.0;

    static Stream<Path> goldenUnits() throws IOException {
        List<Path> units;
        try (Stream<Path> s = Files.walk(GoldenCases.DIR)) {
            units = s.filter(p -> p.toString().endsWith(".service")).sorted().toList();
        }
        assertThat(units).hasSizeGreaterThanOrEqualTo(8);
        return units.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenUnits")
    void systemdAnalyzeVerifyAcceptsGoldenUnit(Path unit) {
        var r = SYSTEMD.exec("systemd-analyze", "verify", "--man=no", unit.toAbsolutePath().toString());
        String out = r.stdout() + r.stderr();
        System.out.println("systemd-analyze verify " + unit + ": exit " + r.exitCode() + (out.isBlank() ? "" : "\n" + out));
        assertThat(r.exitCode()).as(out).isZero();
        // warnings (unknown keys, bad values that systemd would ignore) do not change the exit code: forbid them too
        assertThat(out).as(out).doesNotContainIgnoringCase(unit.getFileName().toString());
    }

    @Test
    void defaultAppUnitScoresAtMostFiveInSystemdAnalyzeSecurity() {
        SystemdDriver d = SYSTEMD.driver();
        ServiceSpec spec = Specs.spec("secure", Color.BLUE, 0, 18100, Specs.template(List.of("/bin/sleep"), List.of("600")));
        d.install(List.of(spec));
        try {
            var r = SYSTEMD.exec("systemd-analyze", "security", "--no-pager", spec.id().unitName());
            Matcher m = Pattern.compile("Overall exposure level for \\S+: ([0-9.]+) (\\S+)").matcher(r.stdout());
            assertThat(m.find()).as(r.stdout() + r.stderr()).isTrue();
            double score = Double.parseDouble(m.group(1));
            System.out.println("systemd-analyze security " + spec.id().unitName() + ": " + score + " " + m.group(2));
            assertThat(score).isLessThanOrEqualTo(MAX_EXPOSURE);
        } finally {
            d.remove(List.of(spec.id()));
        }
    }
}
