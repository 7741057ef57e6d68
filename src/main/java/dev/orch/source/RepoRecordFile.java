package dev.orch.source;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.orch.manifest.Deployment;
import dev.orch.state.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * The file of a {@link RepoRecord}, {@code <state>/git/<name>.json}. Schema 2 keeps a hash per app; a schema 1
 * file (written by older versions, with the whole manifest per app) still loads: the hash is computed from that
 * manifest, so an upgrade sees no change (and keeps an override by apply) until a commit changes the app.
 */
final class RepoRecordFile {
    static final int SCHEMA_VERSION = 2;
    private static final Logger LOG = Logger.getLogger(RepoRecordFile.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final String repo;
    private final Path file;

    RepoRecordFile(String repo, Path file) {
        this.repo = repo;
        this.file = file;
    }

    /** The record, or {@link RepoRecord#EMPTY} when there is none or it is unusable (logged). */
    RepoRecord read() {
        try {
            ObjectNode node = (ObjectNode) JSON.readTree(Files.readAllBytes(file));
            node.remove("schemaVersion");
            if (node.get("apps") instanceof ObjectNode apps) {
                apps.forEach(RepoRecordFile::upgrade);
            }
            return JSON.treeToValue(node, RepoRecord.class);
        } catch (NoSuchFileException e) {
            return RepoRecord.EMPTY;
        } catch (IOException | RuntimeException e) {
            // losing it only costs one full comparison against the desired state on the next commit
            LOG.warnf("git %s: %s is unusable (%s): starting from an empty record", repo, file, e.getMessage());
            return RepoRecord.EMPTY;
        }
    }

    void write(RepoRecord r) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("schemaVersion", SCHEMA_VERSION);
        node.setAll((ObjectNode) JSON.valueToTree(r));
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
    }

    /** A schema 1 app entry ({@code deployment}) gets its hash; one whose manifest no longer reads gets none (a change). */
    private static void upgrade(JsonNode app) {
        if (app instanceof ObjectNode a && a.has("deployment") && !a.hasNonNull("hash")) {
            JsonNode d = a.remove("deployment");
            try {
                a.put("hash", RepoRecord.hashOf(JSON.treeToValue(d, Deployment.class)));
            } catch (IOException | RuntimeException e) {
                a.putNull("hash");
            }
        }
    }
}
