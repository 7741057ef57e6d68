package dev.orch.source;

import static dev.orch.source.TestRepo.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.intake.Intake;
import dev.orch.manifest.ManifestLoader;
import dev.orch.state.ConditionStatus;
import dev.orch.state.ConditionType;
import dev.orch.state.DesiredApp;
import dev.orch.state.EventType;
import dev.orch.state.Reason;
import dev.orch.state.Source;
import dev.orch.state.SourceKind;
import dev.orch.state.StateStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.eclipse.jgit.api.ResetCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The git source against real repositories on disk: what each commit does to the desired state. */
class GitSourceTest {
    @TempDir
    Path tmp;

    TestRepo remote;
    StateStore store;
    RecordingEvents events = new RecordingEvents();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    GitSources sources;

    @BeforeEach
    void setUp() throws Exception {
        remote = new TestRepo(tmp.resolve("remote"));
        store = new StateStore(tmp.resolve("state"));
        sources = sources(GitRepoSpec.of("apps", remote.url(), "main", "apps"));
    }

    @AfterEach
    void tearDown() {
        sources.close();
        remote.close();
    }

    GitSources sources(GitRepoSpec... specs) {
        return new GitSources(List.of(specs), store, events.intake(store), Clock.systemUTC(), registry);
    }

    SyncResult sync() {
        events.clear();
        return sources.syncNow(List.of()).get(0);
    }

    DesiredApp desired(String app) {
        return store.readDesired(app).orElseThrow();
    }

    @Test
    void firstCommitCreatesEveryAppWithItsRevisionAndPath() throws Exception {
        String c1 = remote.write("apps/web.yaml", manifest("web", 8080, "v1"))
                .write("apps/team/api.yml", manifest("api", 8081, "v1"))
                .write("README.md", "not a manifest").commit("first");

        SyncResult r = sync();

        assertThat(r.result()).isEqualTo(SyncResult.SYNCED);
        assertThat(r.revision()).isEqualTo("main@sha1:" + c1);
        assertThat(r.added()).containsExactlyInAnyOrder("web", "api");
        assertThat(desired("web").source()).isEqualTo(Source.git(remote.url(), "main@sha1:" + c1, "apps/web.yaml"));
        assertThat(desired("api").source().path()).isEqualTo("apps/team/api.yml");
        assertThat(events.enqueued).containsExactlyInAnyOrder("web", "api");
        assertThat(events.condition("web").status()).isEqualTo(ConditionStatus.TRUE);
        assertThat(sources.owner("web")).contains(new dev.orch.intake.Owner("apps", remote.url(), "apps/web.yaml"));
        assertThat(store.readAudit("web", 10)).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo("apply");
            assertThat(a.cause()).isEqualTo("git " + c1.substring(0, 12) + " Dev Eloper <dev@example.com>");
            assertThat(a.details()).isEqualTo(java.util.Map.of("repository", remote.url(), "revision", "main@sha1:" + c1, "path", "apps/web.yaml",
                    "generation", "1"));
        });
        assertThat(registry.get("orch_git_sync").tags("repo", "apps", "result", "synced").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("orch_git_revision_info").tags("repo", "apps", "revision", "main@sha1:" + c1).gauge().value()).isEqualTo(1.0);

        String c2 = remote.write("apps/web.yaml", manifest("web", 8080, "v2")).commit("second");
        sync();
        assertThat(registry.find("orch_git_revision_info").gauges()).as("one series per repository")
                .singleElement().satisfies(g -> assertThat(g.getId().getTag("revision")).isEqualTo("main@sha1:" + c2));
    }

    @Test
    void manifestsAreReadFromTheMirrorWithNoCheckoutOnDisk() throws Exception {
        sources.close();
        Path stale = store.gitDir().resolve("apps.checkout");
        Files.createDirectories(stale.resolve("apps"));
        Files.writeString(stale.resolve("apps/old.yaml"), manifest("old", 8090, "v0"));
        sources = sources(GitRepoSpec.of("apps", remote.url(), "main", "apps"));
        assertThat(stale).as("the copy an older version left is deleted on start").doesNotExist();

        remote.write("apps/web.yaml", manifest("web", 8080, "v1"))
                .write("apps/.github/ci.yml", "on: push\n")
                .write("apps/big.yaml", manifest("big", 8082, "v1") + "# " + "x".repeat(1 << 20) + "\n")
                .write("other/api.yaml", manifest("api", 8081, "v1")).commit("first");
        SyncResult r = sync();

        assertThat(r.added()).containsExactly("web");
        assertThat(r.errors()).containsExactly("apps/big.yaml:1:1: file is larger than 1048576 bytes (the limit for one manifest file)");
        try (var files = Files.list(store.gitDir())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("apps.git", "apps.json");
        }
    }

    @Test
    void anUnchangedBranchChangesNothing() throws Exception {
        remote.write("apps/web.yaml", manifest("web", 8080, "v1")).commit("first");
        sync();
        long generation = desired("web").generation();

        SyncResult r = sync();

        assertThat(r.result()).isEqualTo(SyncResult.UNCHANGED);
        assertThat(events.enqueued).isEmpty();
        assertThat(desired("web").generation()).isEqualTo(generation);
        assertThat(registry.get("orch_git_last_success_timestamp_seconds").tags("repo", "apps").gauge().value()).isPositive();
    }

    @Test
    void aCommitEnqueuesOnlyTheAppsItChanges() throws Exception {
        String c1 = remote.write("apps/web.yaml", manifest("web", 8080, "v1")).write("apps/api.yaml", manifest("api", 8081, "v1")).commit("first");
        sync();
        String c2 = remote.write("apps/web.yaml", manifest("web", 8080, "v2")).write("docs.txt", "x").commit("web v2");

        SyncResult r = sync();

        assertThat(r.changed()).containsExactly("web");
        assertThat(r.added()).isEmpty();
        assertThat(events.enqueued).containsExactly("web");
        assertThat(desired("web").source().revision()).isEqualTo("main@sha1:" + c2);
        assertThat(desired("api").source().revision()).as("api came from the first commit").isEqualTo("main@sha1:" + c1);
        assertThat(desired("api").generation()).isEqualTo(1);
    }

    @Test
    void aRoutePortOrchKnowsAnOwnerOfIsRefusedAtSyncTime() throws Exception {
        sources.close();
        Intake intake = events.intake(store);
        intake.reservedPorts(java.util.Map.of(9464, "orchd's metrics and health listener (quarkus.management.port)"));
        intake.put(new ManifestLoader().loadString("db.yaml", manifest("db", 8082, "v1")).deployments().get(0), Source.APPLY, null,
                dev.orch.intake.Actor.user("root"), "apply", java.util.Map.of());
        sources = new GitSources(List.of(GitRepoSpec.of("apps", remote.url(), "main", "apps")), store, intake, Clock.systemUTC(), registry);
        remote.write("apps/web.yaml", manifest("web", 8080, "v1")).write("apps/api.yaml", manifest("api", 9464, "v1"))
                .write("apps/cache.yaml", manifest("cache", 8082, "v1")).commit("first");

        SyncResult r = sync();

        assertThat(r.added()).containsExactly("web");
        assertThat(store.readDesired("api")).isEmpty();
        assertThat(store.readDesired("cache")).isEmpty();
        assertThat(r.errors()).containsExactlyInAnyOrder(
                "apps/api.yaml:1:1: spec.route.port: port 9464 is orchd's metrics and health listener (quarkus.management.port); choose another port",
                "apps/cache.yaml:1:1: spec.route.port: port 8082 is already the route of app \"db\"; choose another port");
        assertThat(sources.statuses().get(0).reason()).isEqualTo("ManifestErrors");
    }

    @Test
    void aBrokenFileKeepsItsAppsAtTheLastGoodRevisionWhileTheOthersDeploy() throws Exception {
        String c1 = remote.write("apps/web.yaml", manifest("web", 8080, "v1")).write("apps/api.yaml", manifest("api", 8081, "v1")).commit("first");
        sync();
        String broken = manifest("web", 8080, "v2").replace("    port: 8080", "    port: 8080\n    colour: blue");
        String c2 = remote.write("apps/web.yaml", broken).write("apps/api.yaml", manifest("api", 8081, "v2")).commit("typo in web, api v2");

        SyncResult r = sync();

        assertThat(r.changed()).containsExactly("api");
        assertThat(r.failed()).containsExactly("web");
        assertThat(r.errors()).singleElement().asString().startsWith("apps/web.yaml:8:5: spec.route.colour");
        assertThat(desired("web").source().revision()).isEqualTo("main@sha1:" + c1);
        assertThat(desired("api").source().revision()).isEqualTo("main@sha1:" + c2);
        var condition = events.condition("web");
        assertThat(condition.status()).isEqualTo(ConditionStatus.FALSE);
        assertThat(condition.reason()).isEqualTo("ManifestError");
        assertThat(condition.type()).isEqualTo(ConditionType.GIT_SYNCED.wire());
        assertThat(condition.message()).contains(c2.substring(0, 12)).contains("apps/web.yaml:8:5").contains("still running main@sha1:" + c1);
        assertThat(events.events("web")).singleElement().satisfies(e -> assertThat(e.type()).isEqualTo(EventType.WARNING));
        assertThat(sources.statuses().get(0).ready()).isEqualTo("False");
        assertThat(sources.statuses().get(0).reason()).isEqualTo("ManifestErrors");

        // an unchanged fetch keeps the app held and says so
        assertThat(sync().failed()).containsExactly("web");

        String c3 = remote.write("apps/web.yaml", manifest("web", 8080, "v3")).commit("fix");
        SyncResult fixed = sync();
        assertThat(fixed.changed()).containsExactly("web");
        assertThat(fixed.failed()).isEmpty();
        assertThat(desired("web").source().revision()).isEqualTo("main@sha1:" + c3);
        assertThat(events.condition("web").status()).isEqualTo(ConditionStatus.TRUE);
        assertThat(sources.statuses().get(0).ready()).isEqualTo("True");
    }

    @Test
    void aFileThatCannotBeParsedNeverPrunesTheAppsItDefined() throws Exception {
        String c1 = remote.write("apps/web.yaml", manifest("web", 8080, "v1")).write("apps/api.yaml", manifest("api", 8081, "v1")).commit("first");
        sync();
        int audited = store.readAudit("web", 10).size();
        remote.write("apps/web.yaml", "apiVersion: orch.dev/v1\nkind: [unclosed\n").commit("garbage");

        SyncResult r = sync();

        assertThat(r.removed()).isEmpty();
        assertThat(r.failed()).containsExactly("web");
        assertThat(desired("web").source().revision()).isEqualTo("main@sha1:" + c1);
        // web is enqueued only so that its reconcile writes the condition: its desired state is untouched
        assertThat(desired("web").generation()).isEqualTo(1);
        assertThat(store.readAudit("web", 10)).hasSize(audited);
        assertThat(events.condition("web").reason()).isEqualTo(Reason.MANIFEST_ERROR.wire());
        assertThat(events.enqueued).doesNotContain("api");
    }

    @Test
    void aManifestThatLeavesTheRepositoryIsPruned() throws Exception {
        remote.write("apps/web.yaml", manifest("web", 8080, "v1")).write("apps/api.yaml", manifest("api", 8081, "v1")).commit("first");
        sync();
        String c2 = remote.delete("apps/api.yaml").commit("drop api");

        SyncResult r = sync();

        assertThat(r.removed()).containsExactly("api");
        assertThat(store.readAudit("api", 10)).last().satisfies(a -> {
            assertThat(a.action()).isEqualTo("delete");
            assertThat(a.cause()).isEqualTo("git " + c2.substring(0, 12) + " Dev Eloper <dev@example.com>");
            assertThat(a.details()).isEqualTo(java.util.Map.of("repository", remote.url(), "revision", "main@sha1:" + c2, "path", "apps/api.yaml"));
        });
        assertThat(store.readDesired("api")).isEmpty();
        assertThat(events.enqueued).containsExactly("api");
        assertThat(sources.owner("api")).isEmpty();
        assertThat(desired("web").source().type()).isEqualTo(SourceKind.GIT);
    }

    @Test
    void anEmptyOrMissingDirectoryPrunesNothing() throws Exception {
        remote.write("apps/web.yaml", manifest("web", 8080, "v1")).commit("first");
        sync();

        remote.delete("apps/web.yaml").write("other/keep.txt", "x").commit("directory gone");
        SyncResult gone = sync();
        assertThat(gone.removed()).isEmpty();
        assertThat(gone.errors()).singleElement().asString().contains("directory apps does not exist").contains("nothing pruned");
        assertThat(store.readDesired("web")).isPresent();
        assertThat(sources.statuses().get(0).reason()).isEqualTo("NothingPruned");

        remote.write("apps/empty.yaml", "# nothing here yet\n").commit("directory empty");
        SyncResult empty = sync();
        assertThat(empty.removed()).isEmpty();
        assertThat(empty.errors()).singleElement().asString().contains("holds no manifest");
        assertThat(store.readDesired("web")).isPresent();
        assertThat(sources.owner("web")).isPresent();
    }

    @Test
    void anUnreachableRemoteKeepsTheLastGoodRevisionAndRecovers() throws Exception {
        String c1 = remote.write("apps/web.yaml", manifest("web", 8080, "v1")).commit("first");
        sync();
        Path away = tmp.resolve("moved-away");
        Files.move(remote.dir(), away);

        SyncResult r = sync();

        assertThat(r.result()).isEqualTo(SyncResult.FAILED);
        assertThat(r.revision()).isEqualTo("main@sha1:" + c1);
        assertThat(r.message()).contains(remote.url());
        RepoStatus s = sources.statuses().get(0);
        assertThat(s.ready()).isEqualTo("False");
        assertThat(s.reason()).isEqualTo("Unreachable");
        assertThat(s.failures()).isEqualTo(1);
        assertThat(desired("web").source().revision()).isEqualTo("main@sha1:" + c1);
        assertThat(events.enqueued).isEmpty();
        assertThat(registry.get("orch_git_sync").tags("repo", "apps", "result", "failed").counter().count()).isEqualTo(1.0);

        Files.move(away, remote.dir());
        SyncResult back = sync();
        assertThat(back.result()).isEqualTo(SyncResult.UNCHANGED);
        assertThat(sources.statuses().get(0).ready()).isEqualTo("True");
        assertThat(sources.statuses().get(0).failures()).isZero();
    }

    @Test
    void aRewrittenHistoryIsRefusedUntilTheBranchContainsTheLastSyncedCommitAgain() throws Exception {
        String c1 = remote.write("apps/web.yaml", manifest("web", 8080, "v1")).commit("first");
        String c2 = remote.write("apps/web.yaml", manifest("web", 8080, "v2")).commit("second");
        sync();
        remote.git().reset().setMode(ResetCommand.ResetType.HARD).setRef(c1).call();
        remote.write("apps/web.yaml", manifest("web", 8080, "v3-rewritten")).commit("rewritten");

        SyncResult r = sync();

        assertThat(r.result()).isEqualTo(SyncResult.FAILED);
        assertThat(sources.statuses().get(0).reason()).isEqualTo("HistoryRewritten");
        assertThat(desired("web").source().revision()).isEqualTo("main@sha1:" + c2);

        remote.git().reset().setMode(ResetCommand.ResetType.HARD).setRef(c2).call();
        String c4 = remote.write("apps/web.yaml", manifest("web", 8080, "v4")).commit("on top of c2");
        assertThat(sync().changed()).containsExactly("web");
        assertThat(desired("web").source().revision()).isEqualTo("main@sha1:" + c4);
    }

    @Test
    void aRemoteServingACorruptObjectChangesNothingAndRecovers() throws Exception {
        String c1 = remote.write("apps/web.yaml", manifest("web", 8080, "v1")).commit("first");
        sync();
        remote.write("apps/web.yaml", manifest("web", 8080, "v2")).commit("second");
        String blob = remote.git().getRepository().resolve("HEAD:apps/web.yaml").name();
        Path object = remote.dir().resolve(".git/objects/" + blob.substring(0, 2) + "/" + blob.substring(2));
        object.toFile().setWritable(true);
        byte[] original = Files.readAllBytes(object);
        Files.write(object, "not a zlib stream".getBytes());

        SyncResult r = sync();

        assertThat(r.result()).isEqualTo(SyncResult.FAILED);
        // JGit's upload-pack (in process for file://) reports the broken object as a server error
        assertThat(sources.statuses().get(0).reason()).isEqualTo("FetchFailed");
        assertThat(r.message()).contains("internal server error");
        assertThat(desired("web").source().revision()).isEqualTo("main@sha1:" + c1);
        assertThat(events.enqueued).isEmpty();

        Files.write(object, original);
        assertThat(sync().changed()).containsExactly("web");
    }

    @Test
    void anOverrideByApplyLastsUntilACommitChangesTheApp() throws Exception {
        remote.write("apps/web.yaml", manifest("web", 8080, "v1")).write("apps/api.yaml", manifest("api", 8081, "v1")).commit("first");
        sync();
        var byHand = new ManifestLoader().loadString("x", manifest("web", 8080, "hotfix")).deployments().get(0);
        store.updateDesired(byHand, Source.APPLY);

        remote.write("apps/api.yaml", manifest("api", 8081, "v2")).commit("api only");
        assertThat(sync().changed()).containsExactly("api");
        assertThat(desired("web").source()).isEqualTo(Source.APPLY);
        assertThat(desired("web").deployment()).isEqualTo(byHand);
        assertThat(sources.owner("web")).isPresent();

        String c3 = remote.write("apps/web.yaml", manifest("web", 8080, "v3")).commit("web v3");
        assertThat(sync().changed()).containsExactly("web");
        assertThat(desired("web").source().revision()).isEqualTo("main@sha1:" + c3);
    }

    @Test
    void anUndoPinHoldsAcrossCommitsToOtherAppsAndARestartUntilACommitChangesTheApp() throws Exception {
        remote.write("apps/web.yaml", manifest("web", 8080, "v1")).write("apps/api.yaml", manifest("api", 8081, "v1")).commit("first");
        sync();
        remote.write("apps/web.yaml", manifest("web", 8080, "v2")).commit("web v2");
        sync();
        Intake intake = events.intake(store);
        intake.ownership(sources);
        var v1 = new ManifestLoader().loadString("x", manifest("web", 8080, "v1")).deployments().get(0);
        intake.rollBack(v1, desired("web").source(), null, 1, dev.orch.intake.Actor.user("bob"), "undo");
        var pinBefore = sources.owner("web").orElseThrow().pin();
        assertThat(pinBefore).satisfies(p -> {
            assertThat(p.reason()).isEqualTo("RolledBack");
            assertThat(p.revision()).isEqualTo(1);
        });
        assertThat(sources.statuses().get(0).pins()).containsOnlyKeys("web");

        remote.write("apps/api.yaml", manifest("api", 8081, "v2")).commit("api only");
        SyncResult r = sync();
        assertThat(r.changed()).containsExactly("api");
        assertThat(desired("web").deployment()).isEqualTo(v1);
        sources.close();
        sources = sources(GitRepoSpec.of("apps", remote.url(), "main", "apps"));
        assertThat(sources.owner("web").orElseThrow().pin()).as("kept in the record").isEqualTo(pinBefore);
        assertThat(sources.statuses().get(0).pins()).containsOnlyKeys("web");

        String c4 = remote.write("apps/web.yaml", manifest("web", 8080, "v4")).commit("web v4");
        assertThat(sync().changed()).containsExactly("web");
        assertThat(desired("web").source().revision()).isEqualTo("main@sha1:" + c4);
        assertThat(sources.owner("web").orElseThrow().pin()).isNull();
        assertThat(sources.statuses().get(0).pins()).isEmpty();
    }

    @Test
    void aForcedDeleteStaysUntilACommitChangesTheApp() throws Exception {
        remote.write("apps/web.yaml", manifest("web", 8080, "v1")).write("apps/api.yaml", manifest("api", 8081, "v1")).commit("first");
        sync();
        Intake intake = events.intake(store);
        intake.ownership(sources);
        intake.deleteByHand("web", dev.orch.intake.Actor.user("bob"), true);
        assertThat(sources.statuses().get(0).pins().get("web").reason()).isEqualTo("DeletedByHand");

        remote.write("apps/api.yaml", manifest("api", 8081, "v2")).commit("api only");
        SyncResult r = sync();
        assertThat(r.changed()).containsExactly("api");
        assertThat(r.added()).isEmpty();
        assertThat(store.readDesired("web")).isEmpty();

        remote.write("apps/web.yaml", manifest("web", 8080, "v3")).commit("web v3");
        assertThat(sync().added()).containsExactly("web");
        assertThat(sources.statuses().get(0).pins()).isEmpty();
    }

    @Test
    void aRecordWrittenByAnOlderVersionKeepsAnOverrideAcrossTheUpgrade() throws Exception {
        String c1 = remote.write("apps/web.yaml", manifest("web", 8080, "v1")).write("apps/api.yaml", manifest("api", 8081, "v1")).commit("first");
        sync();
        sources.close();
        // the schema 1 record: the whole manifest per app instead of its hash
        var old = com.fasterxml.jackson.databind.json.JsonMapper.builder().build();
        var node = old.createObjectNode().put("schemaVersion", 1).put("commit", c1);
        var apps = node.putObject("apps");
        for (String app : List.of("api", "web")) {
            apps.putObject(app).put("path", "apps/" + app + ".yaml").put("revision", "main@sha1:" + c1)
                    .set("deployment", old.valueToTree(desired(app).deployment()));
        }
        node.putArray("held");
        Files.write(store.gitDir().resolve("apps.json"), old.writeValueAsBytes(node));
        var byHand = new ManifestLoader().loadString("x", manifest("web", 8080, "hotfix")).deployments().get(0);
        store.updateDesired(byHand, Source.APPLY);
        sources = sources(GitRepoSpec.of("apps", remote.url(), "main", "apps"));

        remote.write("apps/api.yaml", manifest("api", 8081, "v2")).commit("api only");
        SyncResult r = sync();

        assertThat(r.changed()).containsExactly("api");
        assertThat(desired("web").deployment()).as("web did not change in git: the override stays").isEqualTo(byHand);
        assertThat(Files.readString(store.gitDir().resolve("apps.json"))).contains("\"schemaVersion\" : 2").doesNotContain("GREETING");
    }

    @Test
    void anAppBelongsToOneRepository() throws Exception {
        remote.write("apps/web.yaml", manifest("web", 8080, "v1")).commit("first");
        TestRepo second = new TestRepo(tmp.resolve("second"));
        second.write("web.yaml", manifest("web", 9090, "other")).write("db.yaml", manifest("db", 9091, "v1")).commit("first");
        sources.close();
        sources = sources(GitRepoSpec.of("apps", remote.url(), "main", "apps"), GitRepoSpec.of("more", second.url(), "main", "."));
        events.clear();

        List<SyncResult> results = sources.syncNow(List.of());

        assertThat(results.get(0).added()).containsExactly("web");
        assertThat(results.get(1).added()).containsExactly("db");
        assertThat(results.get(1).errors()).singleElement().asString().contains("web.yaml").contains("already defined by git repository apps");
        assertThat(desired("web").source().repository()).isEqualTo(remote.url());
        second.close();
    }

    @Test
    void theRecordSurvivesARestart() throws Exception {
        remote.write("apps/web.yaml", manifest("web", 8080, "v1")).commit("first");
        sync();
        sources.close();
        sources = sources(GitRepoSpec.of("apps", remote.url(), "main", "apps"));

        assertThat(sources.owner("web")).isPresent();
        assertThat(sync().result()).isEqualTo(SyncResult.UNCHANGED);
    }
}
