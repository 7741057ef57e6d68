package dev.orch.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writeCreatesFileWithMode0600ByDefault() throws IOException {
        Path f = dir.resolve("a.json");
        AtomicFiles.write(f, "one".getBytes(UTF_8));
        assertThat(f).hasContent("one");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    }

    @Test
    void writeAppliesTheGivenModeExactly() throws IOException {
        Path f = dir.resolve("a.json");
        AtomicFiles.write(f, "one".getBytes(UTF_8), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
        // replacing also resets the mode: a private file stays private even if it was wider before
        AtomicFiles.write(f, "two".getBytes(UTF_8));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    }

    @Test
    void writeReplacesContentAndLeavesNoTempFile() throws IOException {
        Path f = dir.resolve("a.json");
        AtomicFiles.write(f, "a much longer first version".getBytes(UTF_8));
        AtomicFiles.write(f, "short".getBytes(UTF_8));
        assertThat(f).hasContent("short");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(f);
        }
    }

    @Test
    void failedWriteLeavesTargetAndNoTempFile() throws IOException {
        Path f = dir.resolve("a.json");
        AtomicFiles.write(f, "old".getBytes(UTF_8));
        // a directory in the target's place makes the rename fail after the temp file was written
        Path blocked = dir.resolve("sub");
        Files.createDirectory(blocked);
        Files.writeString(blocked.resolve("x"), "x");
        assertThatThrownBy(() -> AtomicFiles.write(blocked, "new".getBytes(UTF_8))).isInstanceOf(IOException.class);
        assertThat(f).hasContent("old");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).noneMatch(AtomicFiles::isTempFile);
        }
    }

    @Test
    void writeIntoMissingDirectoryFails() {
        assertThatThrownBy(() -> AtomicFiles.write(dir.resolve("missing/a.json"), new byte[] {1}))
                .isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void appendCreatesPrivateLogOfLines() throws IOException {
        Path log = dir.resolve("audit.log");
        AtomicFiles.append(log, "{\"n\":1}".getBytes(UTF_8));
        AtomicFiles.append(log, "{\"n\":2}".getBytes(UTF_8));
        assertThat(log).hasContent("{\"n\":1}\n{\"n\":2}\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
        assertThat(lines(log)).containsExactly("{\"n\":1}", "{\"n\":2}");
    }

    @Test
    void tornLastLineIsIgnoredOnReadAndCutOffByNextAppend() throws IOException {
        Path log = dir.resolve("audit.log");
        Files.writeString(log, "{\"n\":1}\n{\"n\":2}\n{\"n\":3, \"det");
        assertThat(lines(log)).containsExactly("{\"n\":1}", "{\"n\":2}");

        AtomicFiles.append(log, "{\"n\":4}".getBytes(UTF_8));
        assertThat(log).hasContent("{\"n\":1}\n{\"n\":2}\n{\"n\":4}\n");
    }

    @Test
    void tornOnlyLineIsCutOffByNextAppend() throws IOException {
        Path log = dir.resolve("audit.log");
        // longer than the 8 KiB backwards-scan chunk, with no newline at all
        Files.writeString(log, "x".repeat(20_000));
        assertThat(lines(log)).isEmpty();
        AtomicFiles.append(log, "ok".getBytes(UTF_8));
        assertThat(log).hasContent("ok\n");
    }

    @Test
    void tornLineAfterALongLogIsCutOffExactly() throws IOException {
        Path log = dir.resolve("audit.log");
        String whole = "y".repeat(10_000) + "\n";
        Files.writeString(log, whole + "z".repeat(9_000));
        AtomicFiles.append(log, "ok".getBytes(UTF_8));
        assertThat(log).hasContent(whole + "ok\n");
    }

    @Test
    void appendRejectsLineBreaks() {
        assertThatThrownBy(() -> AtomicFiles.append(dir.resolve("l"), "a\nb".getBytes(UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingLogHasNoLines() throws IOException {
        assertThat(AtomicFiles.readCompleteLines(dir.resolve("nope"))).isEmpty();
    }

    @Test
    void removeTempFilesDeletesOnlyTempFiles() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("apps/web"));
        Path temp = sub.resolve(".actual.json" + AtomicFiles.TEMP_MARKER + "0123abcd");
        Path real = sub.resolve("actual.json");
        Path hidden = sub.resolve(".hidden");
        Files.writeString(temp, "{\"torn");
        Files.writeString(real, "{}");
        Files.writeString(hidden, "keep");
        assertThat(AtomicFiles.removeTempFiles(dir)).containsExactly(temp);
        assertThat(temp).doesNotExist();
        assertThat(real).exists();
        assertThat(hidden).exists();
    }

    @Test
    void createPrivateDirectoriesUsesMode0700() throws IOException {
        Path d = dir.resolve("x/y/z");
        AtomicFiles.createPrivateDirectories(d);
        for (Path p : List.of(dir.resolve("x"), dir.resolve("x/y"), d)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).isEqualTo("rwx------");
        }
    }

    private static List<String> lines(Path log) throws IOException {
        return AtomicFiles.readCompleteLines(log).stream().map(b -> new String(b, UTF_8)).toList();
    }
}
