package dev.orch.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogPumpTest {
    @TempDir
    Path dir;

    @Test
    void stampsEveryLineWithItsTimeAndKeepsALastLineWithoutNewline() throws Exception {
        Path log = dir.resolve("a.stdout.log");
        Files.writeString(log, "2026-01-01T00:00:00.000000Z earlier run\n");
        Clock at = Clock.fixed(Instant.parse("2026-12-02T09:30:00.5Z"), ZoneOffset.UTC);
        new LogPump(new ByteArrayInputStream("one\ntwo ä\n\nlast".getBytes(StandardCharsets.UTF_8)), log, at).run();
        assertThat(Files.readAllLines(log)).containsExactly(
                "2026-01-01T00:00:00.000000Z earlier run",
                "2026-12-02T09:30:00.500000Z one",
                "2026-12-02T09:30:00.500000Z two ä",
                "2026-12-02T09:30:00.500000Z ",
                "2026-12-02T09:30:00.500000Z last");
    }

    @Test
    void splitsLinesLongerThanJournaldsLineMax() throws Exception {
        Path log = dir.resolve("b.stdout.log");
        byte[] big = "x".repeat(LogPump.LINE_MAX + 10).getBytes(StandardCharsets.US_ASCII);
        new LogPump(new ByteArrayInputStream(big), log, Clock.systemUTC()).run();
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(2);
        assertThat(LogPump.Line.parse(lines.get(0)).text()).hasSize(LogPump.LINE_MAX);
        assertThat(LogPump.Line.parse(lines.get(1)).text()).isEqualTo("x".repeat(10));
    }

    @Test
    void parsesAStampAndLeavesOtherLinesWhole() {
        assertThat(LogPump.Line.parse("2026-12-02T09:30:00.123456Z GET / 200"))
                .isEqualTo(new LogPump.Line(Optional.of(Instant.parse("2026-12-02T09:30:00.123456Z")), "GET / 200"));
        assertThat(LogPump.Line.parse("plain line from before stamps")).isEqualTo(new LogPump.Line(Optional.empty(), "plain line from before stamps"));
        assertThat(LogPump.Line.parse("2026-12-02T09:30:00.12345xZ text")).isEqualTo(new LogPump.Line(Optional.empty(), "2026-12-02T09:30:00.12345xZ text"));
    }
}
