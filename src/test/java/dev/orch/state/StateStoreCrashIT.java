package dev.orch.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILLs a separate JVM ({@link CrashWriterMain}) at random instants while it writes, many times over, and
 * checks after every kill that each file is a complete version, the old or the new one, never torn; that the
 * audit log's complete lines all parse; and that leftover temp files do not stop the next start.
 */
class StateStoreCrashIT {
    static final int KILLS = 60;
    static final int MAX_DELAY_MS = 300;

    @TempDir
    Path tmp;

    final ObjectMapper json = new ObjectMapper();

    @Test
    void everyFileIsOldOrNewAfterEachKill() throws Exception {
        Path root = tmp.resolve("state");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        long[] before = new long[8]; // seqs in write order at the previous check; 0 = absent
        int killsMidRound = 0;
        int killsWithTempFile = 0;
        int killsWithTornAuditTail = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            Process writer = startWriter(root, seed + kill);
            boolean blind = random.nextInt(5) == 0; // sometimes kill during start-up (temp file cleanup, first writes)
            if (!blind) {
                awaitReady(writer);
            }
            Thread.sleep(random.nextInt(MAX_DELAY_MS));
            writer.destroyForcibly(); // SIGKILL
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(writer.exitValue()).as("writer must have been killed, see %s", tmp.resolve("writer.err"))
                    .isEqualTo(137);

            String at = "after kill " + kill + " (seed " + seed + ")";
            if (!tempFiles(root).isEmpty()) {
                killsWithTempFile++;
            }
            if (auditHasTornTail(root)) {
                killsWithTornAuditTail++;
            }
            long[] seqs = checkEveryFileIsAVersion(root, at);
            int written = checkOldOrNew(before, seqs, at);
            if (written > 0 && written < seqs.length) {
                killsMidRound++;
            }
            before = seqs;

            // a restart cleans temp files and reads everything back without quarantining anything
            StateStore store = new StateStore(root);
            assertThat(tempFiles(root)).as(at).isEmpty();
            if (before[0] > 0) {
                assertThat(store.listApps()).containsExactly(CrashWriterMain.APP);
                assertThat(store.quarantined(CrashWriterMain.APP)).as(at).isEmpty();
            }
        }
        System.out.printf("crash test: %d kills, %d mid-round, %d left a temp file, %d left a torn audit line, last seq %d%n",
                KILLS, killsMidRound, killsWithTempFile, killsWithTornAuditTail, before[0]);
        assertThat(before[0]).as("the writer made progress").isGreaterThanOrEqualTo(10);
        assertThat(killsMidRound).as("kills landed inside rounds, not only between them").isGreaterThanOrEqualTo(10);
    }

    /**
     * The writer resumed at round {@code before[0] + 1} and was killed during round {@code now[0]} (or before
     * round one touched anything). So the files written so far in that round hold {@code now[0]}, and each other
     * file holds its previous version: the one of round {@code now[0] - 1} if this writer completed that round,
     * else the one seen at the previous check. Anything else is a lost or torn version.
     *
     * @return how many files (in write order) the interrupted round had replaced
     */
    private static int checkOldOrNew(long[] before, long[] now, String at) {
        String both = "before " + Arrays.toString(before) + ", now " + Arrays.toString(now);
        if (now[0] == before[0]) {
            assertThat(now).as("%s: the first write of a round did not happen, so nothing changed: %s", at, both)
                    .containsExactly(before);
            return 0;
        }
        assertThat(now[0]).as("%s: a round went backwards: %s", at, both).isGreaterThan(before[0]);
        long round = now[0];
        boolean completedPrevious = round > before[0] + 1;
        int k = 0;
        while (k < now.length && now[k] == round) {
            k++;
        }
        for (int i = k; i < now.length; i++) {
            long old = completedPrevious ? round - 1 : before[i];
            assertThat(now[i]).as("%s: file %d of the write order is neither the new version nor the old one: %s",
                    at, i, both).isEqualTo(old);
        }
        return k;
    }

    /**
     * Reads every file raw (no StateStore, which would move bad files aside) and returns the seqs in write
     * order: blob-0..3, desired, actual, newest revision, last audit line (0 for absent).
     */
    private long[] checkEveryFileIsAVersion(Path root, String at) throws Exception {
        Path app = root.resolve("apps").resolve(CrashWriterMain.APP);
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < CrashWriterMain.BLOBS; i++) {
            Path f = CrashWriterMain.blob(app, i);
            seqs.add(Files.exists(f) ? CrashWriterMain.verifyBlob(parse(f, at), i) : 0L);
        }

        Path desired = app.resolve("desired.json");
        if (Files.exists(desired)) {
            JsonNode ann = parse(desired, at).at("/deployment/metadata/annotations");
            long seq = ann.get("seq").asLong();
            assertThat(ann.get("sha256").asText()).as("%s: desired.json complete", at)
                    .isEqualTo(CrashWriterMain.checksum("desired", seq, ann.get("payload").asText()));
            seqs.add(seq);
        } else {
            seqs.add(0L);
        }

        Path actual = app.resolve("actual.json");
        if (Files.exists(actual)) {
            JsonNode doc = parse(actual, at);
            long seq = doc.get("observedGeneration").asLong();
            JsonNode event = doc.at("/events/0");
            assertThat(event.get("reason").asText()).as("%s: actual.json complete", at)
                    .isEqualTo(CrashWriterMain.checksum("actual", seq, event.get("message").asText()));
            seqs.add(seq);
        } else {
            seqs.add(0L);
        }

        long newestRevision = 0;
        Path revisions = app.resolve("revisions");
        if (Files.isDirectory(revisions)) {
            try (Stream<Path> files = Files.list(revisions)) {
                for (Path f : files.filter(p -> p.getFileName().toString().matches("[0-9]+\\.json")).toList()) {
                    JsonNode doc = parse(f, at);
                    long n = doc.get("number").asLong();
                    String url = doc.at("/deployment/spec/template/artifact/url").asText();
                    String payload = url.substring("https://example.com/crash-".length(), url.length() - ".jar".length());
                    assertThat(doc.get("hash").asText()).as("%s: %s complete", at, f)
                            .isEqualTo(CrashWriterMain.checksum("revision", n, payload));
                    assertThat(f.getFileName()).hasToString(n + ".json");
                    newestRevision = Math.max(newestRevision, n);
                }
            }
        }
        seqs.add(newestRevision);

        long lastAudit = 0;
        for (byte[] line : AtomicFiles.readCompleteLines(root.resolve("audit.log"))) {
            JsonNode doc;
            try {
                doc = json.readTree(line);
            } catch (IOException e) {
                throw new AssertionError(at + ": a complete audit line does not parse: " + new String(line, UTF_8), e);
            }
            assertThat(doc.get("schemaVersion").asInt()).isEqualTo(1);
            JsonNode d = doc.get("details");
            long seq = d.get("seq").asLong();
            assertThat(d.get("sha256").asText()).as("%s: audit line %d complete", at, seq)
                    .isEqualTo(CrashWriterMain.checksum("audit", seq, d.get("payload").asText()));
            assertThat(seq).as("%s: audit seqs increase", at).isGreaterThan(lastAudit);
            lastAudit = seq;
        }
        seqs.add(lastAudit);

        if (Files.exists(root)) { // a kill during the very first start-up may precede the directory
            try (Stream<Path> all = Files.walk(root)) {
                assertThat(all.filter(p -> p.getFileName().toString().contains(StateStore.CORRUPT_MARKER)))
                        .as("%s: nothing was ever quarantined", at).isEmpty();
            }
        }
        return seqs.stream().mapToLong(Long::longValue).toArray();
    }

    private JsonNode parse(Path f, String at) throws IOException {
        byte[] data = Files.readAllBytes(f);
        JsonNode doc;
        try {
            doc = json.readTree(data);
        } catch (IOException e) {
            throw new AssertionError(at + ": " + f + " is torn (" + data.length + " bytes): " + e.getMessage(), e);
        }
        if (doc == null || !doc.isObject() || doc.get("schemaVersion") == null) {
            throw new AssertionError(at + ": " + f + " is torn (" + data.length + " bytes, no complete document)");
        }
        assertThat(doc.get("schemaVersion").asInt()).as("%s: %s schemaVersion", at, f).isEqualTo(1);
        return doc;
    }

    private static boolean auditHasTornTail(Path root) throws IOException {
        Path log = root.resolve("audit.log");
        if (!Files.exists(log) || Files.size(log) == 0) {
            return false;
        }
        byte[] all = Files.readAllBytes(log);
        return all[all.length - 1] != '\n';
    }

    private static List<Path> tempFiles(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(AtomicFiles::isTempFile).toList();
        }
    }

    private Process startWriter(Path root, long seed) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java,
                        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                        "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                        "-cp", System.getProperty("java.class.path"),
                        CrashWriterMain.class.getName(), root.toString(), Long.toString(seed))
                .redirectError(ProcessBuilder.Redirect.appendTo(tmp.resolve("writer.err").toFile()))
                .start();
    }

    private static void awaitReady(Process writer) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), UTF_8));
        String line = out.readLine();
        assertThat(line).as("writer start-up line").startsWith("ready ");
    }
}
