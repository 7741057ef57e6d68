package dev.orch.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Deployment;
import dev.orch.state.ArtifactStore;
import dev.orch.state.Revision;
import dev.orch.state.Samples;
import dev.orch.state.Source;
import dev.orch.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store keeps the copies of stored revisions (of every app) and deletes the rest once past the grace. */
class StoreHygieneTest {
    @TempDir
    Path dir;

    @Test
    void keepsWhatHistoryUsesAndDeletesTheRest() throws Exception {
        StateStore state = new StateStore(dir.resolve("state"));
        ArtifactStore store = new ArtifactStore(state.artifactsDir());
        String used = importOf(store, "v1");
        String otherApp = importOf(store, "api v7");
        String pruned = importOf(store, "v0");
        Deployment web = Samples.deployment("web", "v1");
        state.updateDesired(web, Source.APPLY);
        state.putRevision("web", new Revision(1, "aaaaaaaaaa", web, Source.APPLY, Instant.now(), used));
        Deployment api = Samples.deployment("api", "v7");
        state.updateDesired(api, Source.APPLY);
        state.putRevision("api", new Revision(3, "bbbbbbbbbb", api, Source.APPLY, Instant.now(), otherApp));
        long before = store.sizeBytes();

        StoreHygiene young = new StoreHygiene(state, store, Clock.systemUTC());
        assertThat(young.collect()).as("within the grace nothing goes").isEmpty();

        StoreHygiene h = new StoreHygiene(state, store, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(11)));
        assertThat(h.collect()).containsExactly(pruned);
        assertThat(store.has(used, "web.jar")).isTrue();
        assertThat(store.has(otherApp, "web.jar")).isTrue();
        assertThat(store.pathFor(pruned, "web.jar").getParent()).doesNotExist();
        assertThat(store.sizeBytes()).isEqualTo(before - "v0".length());
    }

    private String importOf(ArtifactStore store, String content) throws Exception {
        Path f = Files.writeString(dir.resolve("web.jar"), content);
        String sha = store.digest(f);
        store.importFile(f, sha);
        return sha;
    }
}
