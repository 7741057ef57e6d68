package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessLogFilesTest {
    @TempDir
    Path dir;

    private ProcessLogFiles twoColors() throws Exception {
        Path blue = dir.resolve("blue.log");
        Path green = dir.resolve("green.log");
        Files.writeString(blue, """
                2026-12-02T09:00:01.000000Z b1
                2026-12-02T09:00:03.000000Z b3
                2026-12-02T09:00:05.000000Z b5
                """);
        Files.writeString(green, """
                2026-12-02T09:00:02.000000Z g2
                unstamped g2b
                2026-12-02T09:00:04.000000Z g4
                """);
        ProcessLogFiles files = new ProcessLogFiles();
        files.add(blue, "blue");
        files.add(green, "green");
        files.add(dir.resolve("not-yet.log"), "green");
        return files;
    }

    private static List<String> texts(List<ProcessLogFiles.Entry> entries) {
        return entries.stream().map(e -> e.color() + ":" + e.text()).toList();
    }

    @Test
    void mergesTheColorsByTime() throws Exception {
        assertThat(texts(twoColors().initial(null, -1))).containsExactly("blue:b1", "green:g2", "green:unstamped g2b", "blue:b3", "green:g4", "blue:b5");
    }

    @Test
    void tailIsTheLastLinesOfAllFilesTogether() throws Exception {
        assertThat(texts(twoColors().initial(null, 2))).containsExactly("green:g4", "blue:b5");
        assertThat(twoColors().initial(null, 0)).isEmpty();
    }

    @Test
    void sinceDropsOlderLines() throws Exception {
        List<ProcessLogFiles.Entry> since = twoColors().initial(Instant.parse("2026-12-02T09:00:03Z"), -1);
        assertThat(texts(since)).containsExactly("blue:b3", "green:g4", "blue:b5");
        assertThat(since.get(0).time()).isEqualTo(Instant.parse("2026-12-02T09:00:03Z"));
    }

    @Test
    void followPrintsWhatArrivesInTimeOrderIncludingFilesCreatedLater() throws Exception {
        ProcessLogFiles files = twoColors();
        files.initial(null, -1);
        Files.writeString(dir.resolve("green.log"), "2026-12-02T09:00:07.000000Z g7\n", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("blue.log"), "2026-12-02T09:00:06.000000Z b6\n2026-12-02T09:00:08.000000Z b8 part", java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("not-yet.log"), "2026-12-02T09:00:06.500000Z n6\n");
        List<String> seen = new ArrayList<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                files.follow(e -> {
                    synchronized (seen) {
                        seen.add(e.color() + ":" + e.text());
                    }
                }, 20);
            } catch (InterruptedException e) {
                // stopped
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        org.awaitility.Awaitility.await().until(() -> {
            synchronized (seen) {
                return seen.size() >= 3;
            }
        });
        Files.writeString(dir.resolve("blue.log"), "ial\n", java.nio.file.StandardOpenOption.APPEND);
        org.awaitility.Awaitility.await().until(() -> {
            synchronized (seen) {
                return seen.size() >= 4;
            }
        });
        t.interrupt();
        t.join();
        assertThat(seen).containsExactly("blue:b6", "green:n6", "green:g7", "blue:b8 partial");
    }
}
