package dev.orch.state;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;

/**
 * The victim of {@link StateStoreCrashIT}: writes an endless stream of self-describing versions through
 * {@link AtomicFiles} and {@link StateStore} until it is SIGKILLed. Each round {@code seq} writes, in this order:
 * {@code apps/crash/blob-0..3.json} (raw AtomicFiles), desired.json, actual.json, revision {@code seq}, one
 * audit line. Every version carries its {@code seq}, a payload of random size and the SHA-256 of both.
 * On start it resumes at one more than the newest {@code seq} on disk.
 */
public final class CrashWriterMain {
    static final String APP = "crash";
    static final int BLOBS = 4;
    static final int MAX_BLOB_PAYLOAD = 256 * 1024;
    static final int MAX_DOC_PAYLOAD = 64 * 1024;
    static final int MAX_AUDIT_PAYLOAD = 12 * 1024;
    static final int REVISION_LIMIT = 5;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        ObjectMapper json = new ObjectMapper();

        StateStore store = new StateStore(root);
        Path blobDir = store.appDir(APP);
        AtomicFiles.createPrivateDirectories(blobDir);
        long seq = 1;
        Path first = blob(blobDir, 0);
        if (Files.exists(first)) {
            seq = json.readTree(first.toFile()).get("seq").asLong() + 1;
        }
        System.out.println("ready " + seq);
        System.out.flush();

        for (;; seq++) {
            for (int i = 0; i < BLOBS; i++) {
                String payload = payload(random, MAX_BLOB_PAYLOAD);
                ObjectNode doc = json.createObjectNode();
                doc.put("schemaVersion", 1).put("file", i).put("seq", seq).put("payload", payload)
                        .put("sha256", checksum("blob-" + i, seq, payload));
                AtomicFiles.write(blob(blobDir, i), json.writeValueAsBytes(doc));
            }
            String p = payload(random, MAX_DOC_PAYLOAD);
            store.updateDesired(Samples.deployment(APP, "v" + seq,
                    Map.of("seq", Long.toString(seq), "payload", p, "sha256", checksum("desired", seq, p))), Source.APPLY);

            p = payload(random, MAX_DOC_PAYLOAD);
            store.writeActual(APP, ActualState.EMPTY.withObservedGeneration(seq)
                    .withEvent(Instant.now(), EventType.NORMAL, checksum("actual", seq, p), p));

            p = payload(random, MAX_DOC_PAYLOAD);
            store.putRevision(APP, new Revision((int) seq, checksum("revision", seq, p),
                    Samples.deployment(APP, p), Source.APPLY, Instant.now()));
            store.pruneRevisions(APP, REVISION_LIMIT);

            p = payload(random, MAX_AUDIT_PAYLOAD);
            store.appendAudit(new AuditEntry(Instant.now(), APP, "write", "crash-test",
                    Map.of("seq", Long.toString(seq), "payload", p, "sha256", checksum("audit", seq, p))));
        }
    }

    static Path blob(Path dir, int i) {
        return dir.resolve("blob-" + i + ".json");
    }

    static String checksum(String what, long seq, String payload) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(md.digest((what + ":" + seq + ":" + payload).getBytes(UTF_8)));
    }

    /** Random length (often small, sometimes near max) so kills land at varied offsets of varied sizes. */
    private static String payload(Random random, int max) {
        int len = random.nextBoolean() ? random.nextInt(max) : random.nextInt(512);
        char[] c = new char[len];
        for (int i = 0; i < len; i++) {
            c[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(c);
    }

    /** Used by the IT to check a blob version. */
    static long verifyBlob(JsonNode doc, int i) throws Exception {
        long seq = doc.get("seq").asLong();
        if (doc.get("schemaVersion").asInt() != 1 || doc.get("file").asInt() != i
                || !doc.get("sha256").asText().equals(checksum("blob-" + i, seq, doc.get("payload").asText()))) {
            throw new AssertionError("blob-" + i + " is not a complete version: seq " + seq);
        }
        return seq;
    }
}
