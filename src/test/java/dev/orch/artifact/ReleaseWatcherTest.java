package dev.orch.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher on a real directory (inotify): a slow upload wakes the app once, after the writer closed the file. */
class ReleaseWatcherTest {
    @TempDir
    Path dir;
    final List<String> woken = new CopyOnWriteArrayList<>();
    ReleaseWatcher watcher;
    Path release;

    @BeforeEach
    void watch() throws Exception {
        release = Files.writeString(dir.resolve("web.jar"), "v1");
        watcher = new ReleaseWatcher(woken::add);
        watcher.start();
        watcher.watch("web", release);
    }

    @AfterEach
    void close() {
        watcher.close();
    }

    @Test
    void aSlowUploadIsOneWakeAfterTheWriterClosedTheFile() throws Exception {
        try (FileChannel ch = FileChannel.open(release, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            for (int i = 0; i < 5; i++) {
                ch.write(ByteBuffer.wrap(("part " + i + "\n").getBytes()));
                Thread.sleep(400); // longer than the quiet period: only the open writer keeps it unsettled
                assertThat(watcher.uploading(release)).as("uploading after write %d", i).isTrue();
            }
            assertThat(woken).as("no wake while the file is open for writing").isEmpty();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> !woken.isEmpty());
        Thread.sleep(600);
        assertThat(woken).containsExactly("web");
        assertThat(watcher.uploading(release)).isFalse();
    }

    @Test
    void aRenameIntoPlaceWakesOnceAndOtherFilesNever() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "unrelated");
        Path tmp = Files.writeString(dir.resolve(".web.jar.part"), "v2");
        Thread.sleep(600);
        assertThat(woken).as("writes to other files of the directory").isEmpty();
        Files.move(tmp, release, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(5)).until(() -> !woken.isEmpty());
        Thread.sleep(600);
        assertThat(woken).containsExactly("web");
    }

    @Test
    void anAppThatNoLongerReadsTheFileIsNotWoken() throws Exception {
        watcher.watch("web", null);
        Files.writeString(release, "v2");
        Thread.sleep(800);
        assertThat(woken).isEmpty();
    }
}
