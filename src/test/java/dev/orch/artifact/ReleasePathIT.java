package dev.orch.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.cli.ProcessDaemon;
import dev.orch.testing.WebApp;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watched release path on a real orchd (process driver): a slow upload is one revision, started after the
 * last write; a {@code mv} into place rolls out at once (the figure is printed, not asserted).
 */
class ReleasePathIT {
    @TempDir
    Path dir;

    @Test
    void anUploadRollsOutOnceItIsCompleteAndNeverMidWay() throws Exception {
        WebApp web = new WebApp(dir);
        Path release = web.hello();
        String base = Files.readString(release);
        try (ProcessDaemon orchd = ProcessDaemon.start(dir)) {
            orchd.ok("apply", "-f", web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60).toString());
            assertThat(orchd.ok("rollout", "status", "web", "--timeout", "90s")).contains("revision 1 is live in blue");
            Path revisions = orchd.state().resolve("apps/web/revisions");

            // a slow upload into the watched file itself: five writes over 1.5 s, the file open all along
            byte[] v2 = (base + "\n# release 2\n").getBytes(StandardCharsets.UTF_8);
            int chunk = v2.length / 5 + 1;
            try (FileChannel ch = FileChannel.open(release, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                for (int off = 0; off < v2.length; off += chunk) {
                    ch.write(ByteBuffer.wrap(v2, off, Math.min(chunk, v2.length - off)));
                    ch.force(true);
                    Thread.sleep(300);
                    assertThat(revisions.resolve("2.json")).as("no revision while the upload runs").doesNotExist();
                }
            }
            long closed = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> Files.exists(revisions.resolve("2.json")));
            System.out.printf("slow upload: revision 2 stored %d ms after the writer closed the file%n", (System.nanoTime() - closed) / 1_000_000);
            assertThat(orchd.ok("rollout", "status", "web", "--timeout", "90s")).contains("revision 2 is live in green");
            assertThat(Files.readString(revisions.resolve("2.json"))).contains(sha256(v2));
            assertThat(orchd.state().resolve("artifacts/sha256/" + sha256(v2) + "/hello.py")).hasBinaryContent(v2);
            Thread.sleep(2000);
            assertThat(revisions.resolve("3.json")).as("the burst of writes was one revision").doesNotExist();

            // the safe recipe: write under a temporary name in the same directory, then mv into place
            byte[] v3 = (base + "\n# release 3\n").getBytes(StandardCharsets.UTF_8);
            Path part = Files.write(dir.resolve(".hello.py.part"), v3);
            long moved = System.nanoTime();
            Files.move(part, release, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> Files.exists(revisions.resolve("3.json")));
            System.out.printf("mv into place: revision 3 stored %d ms after the rename%n", (System.nanoTime() - moved) / 1_000_000);
            assertThat(orchd.ok("rollout", "status", "web", "--timeout", "90s")).contains("revision 3 is live in blue");
            assertThat(Files.readString(revisions.resolve("3.json"))).contains(sha256(v3));
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
