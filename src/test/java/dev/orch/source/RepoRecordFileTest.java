package dev.orch.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orch.manifest.Deployment;
import dev.orch.manifest.ManifestLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository record on disk: schema 2 round trip, and schema 1 files (a whole manifest per app) read with their hash. */
class RepoRecordFileTest {
    static final String C1 = "a".repeat(40);

    @TempDir
    Path tmp;

    static Deployment web(String greeting) {
        return new ManifestLoader().loadString("web.yaml", TestRepo.manifest("web", 8080, greeting)).deployments().get(0);
    }

    @Test
    void aRecordRoundTripsWithAHashPerApp() throws Exception {
        RepoRecordFile file = new RepoRecordFile("apps", tmp.resolve("apps.json"));
        RepoRecord r = new RepoRecord(C1, Map.of("web", new RepoRecord.AppRecord("apps/web.yaml", "main@sha1:" + C1, RepoRecord.hashOf(web("v1")))),
                Set.of("web"));

        file.write(r);

        assertThat(file.read()).isEqualTo(r);
        String text = Files.readString(tmp.resolve("apps.json"));
        assertThat(text).contains("\"schemaVersion\" : 2").contains("\"hash\" : \"sha256:").doesNotContain("GREETING");
    }

    @Test
    void aSchema1RecordLoadsWithTheHashOfItsManifest() throws Exception {
        JsonMapper old = JsonMapper.builder().build(); // the old writer: nulls included
        ObjectNode node = old.createObjectNode().put("schemaVersion", 1).put("commit", C1);
        node.putArray("held");
        ObjectNode apps = node.putObject("apps");
        apps.putObject("web").put("path", "apps/web.yaml").put("revision", "main@sha1:" + C1).set("deployment", old.valueToTree(web("v1")));
        apps.putObject("api").put("path", "apps/api.yaml").put("revision", "main@sha1:" + C1)
                .putObject("deployment").put("apiVersion", "orch.dev/v1").put("spec", "not a spec");
        Files.write(tmp.resolve("apps.json"), old.writeValueAsBytes(node));

        RepoRecord r = new RepoRecordFile("apps", tmp.resolve("apps.json")).read();

        assertThat(r.commit()).isEqualTo(C1);
        assertThat(r.apps().get("web")).isEqualTo(new RepoRecord.AppRecord("apps/web.yaml", "main@sha1:" + C1, RepoRecord.hashOf(web("v1"))));
        assertThat(r.apps().get("api")).as("a manifest that no longer reads: no hash, so the next commit counts as a change")
                .isEqualTo(new RepoRecord.AppRecord("apps/api.yaml", "main@sha1:" + C1, null));
    }

    @Test
    void theHashIsOfTheManifest() {
        assertThat(RepoRecord.hashOf(web("v1"))).isEqualTo(RepoRecord.hashOf(web("v1"))).isNotEqualTo(RepoRecord.hashOf(web("v2")))
                .matches("sha256:[0-9a-f]{64}");
    }

    @Test
    void aMissingOrUnreadableRecordIsEmpty() throws Exception {
        assertThat(new RepoRecordFile("apps", tmp.resolve("none.json")).read()).isEqualTo(RepoRecord.EMPTY);
        Files.writeString(tmp.resolve("bad.json"), "{not json");
        assertThat(new RepoRecordFile("apps", tmp.resolve("bad.json")).read()).isEqualTo(RepoRecord.EMPTY);
    }
}
