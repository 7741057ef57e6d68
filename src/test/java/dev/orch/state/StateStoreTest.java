package dev.orch.state;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123Z");

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(T0);

    StateStore open() {
        return new StateStore(dir.resolve("state"), clock);
    }

    @Test
    void createsLayoutWithPrivateModes() throws IOException {
        StateStore store = open();
        Path root = dir.resolve("state");
        for (String d : List.of("apps", "archive", "git")) {
            assertThat(root.resolve(d)).isDirectory();
            assertThat(mode(root.resolve(d))).as(d).isEqualTo("rwx------");
        }
        // services (other users) must reach their artifact copies, but nothing else
        assertThat(mode(root)).isEqualTo("rwx--x--x");
        for (String d : List.of("artifacts", "artifacts/sha256")) {
            assertThat(mode(root.resolve(d))).as(d).isEqualTo("rwxr-xr-x");
        }
        assertThat(store.gitDir()).isEqualTo(root.resolve("git"));
        assertThat(store.artifactsDir()).isEqualTo(root.resolve("artifacts/sha256"));
        assertThat(store.listApps()).isEmpty();
    }

    @Test
    void desiredStateRoundTripsWithSchemaVersionAndMode0600() throws IOException {
        StateStore store = open();
        DesiredApp d = new DesiredApp(Samples.deployment("web", "1"),
                Source.git("https://git.example/ops.git", "main@sha1:0123456789abcdef0123456789abcdef01234567", "apps/web.yaml"),
                3, T0, T0.plusSeconds(5));
        store.writeDesired(d);

        assertThat(store.readDesired("web")).contains(d);
        Path file = dir.resolve("state/apps/web/desired.json");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(file.getParent())).isEqualTo("rwx------");
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.fieldNames().next()).isEqualTo("schemaVersion");
        assertThat(json.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(json.at("/source/type").asText()).isEqualTo("git");
        assertThat(json.at("/createdAt").asText()).isEqualTo("2026-11-23T10:00:00.123Z");
        assertThat(json.at("/deployment/spec/route/protocol").asText()).isEqualTo("http");
        assertThat(store.listApps()).containsExactly("web");
    }

    @Test
    void updateDesiredCountsGenerationsOnlyOnChange() {
        StateStore store = open();
        DesiredApp first = store.updateDesired(Samples.deployment("web", "1"), Source.APPLY);
        assertThat(first.generation()).isEqualTo(1);
        assertThat(first.createdAt()).isEqualTo(T0);

        clock.now = T0.plusSeconds(60);
        assertThat(store.updateDesired(Samples.deployment("web", "1"), Source.APPLY)).isEqualTo(first);

        DesiredApp second = store.updateDesired(Samples.deployment("web", "2"), Source.APPLY);
        assertThat(second.generation()).isEqualTo(2);
        assertThat(second.createdAt()).isEqualTo(T0);
        assertThat(second.updatedAt()).isEqualTo(T0.plusSeconds(60));

        DesiredApp third = store.updateDesired(Samples.deployment("web", "2"), Source.git("r", "main@sha1:ab", "web.yaml"));
        assertThat(third.generation()).isEqualTo(3);
        assertThat(store.readDesired("web")).contains(third);

        assertThat(store.deleteDesired("web")).isTrue();
        assertThat(store.readDesired("web")).isEmpty();
        assertThat(store.deleteDesired("web")).isFalse();
    }

    @Test
    void actualStateRoundTrips() throws IOException {
        StateStore store = open();
        ActualState a = ActualState.EMPTY
                .withColor(Color.BLUE, new ColorState(1, "5f6d7c", List.of(20001, 20002),
                        List.of("orch-web-blue@0.service", "orch-web-blue@1.service"), T0))
                .withColor(Color.GREEN, new ColorState(2, "9a8b7c", List.of(20003), List.of("orch-web-green@0.service"), T0))
                .withLive(Color.BLUE)
                .withRollout(new Rollout(RolloutPhase.WAITING_READY, 2, "abc123", Color.GREEN, T0, T0.plusSeconds(600), false))
                .withCondition(new Condition("Ready", ConditionStatus.TRUE, "LiveColorReady", "blue serves", T0))
                .withCondition(new Condition("Progressing", ConditionStatus.UNKNOWN, "WaitingReady", "", T0))
                .withObservedGeneration(4)
                .withEvent(T0, EventType.NORMAL, "RolloutStarted", "revision 2 to green")
                .withEvent(T0, EventType.WARNING, "ProbeFailed", "connection refused");
        store.writeActual("web", a);

        assertThat(store.readActual("web")).contains(a);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("state/apps/web/actual.json").toFile());
        assertThat(json.get("live").asText()).isEqualTo("blue");
        assertThat(json.at("/rollout/phase").asText()).isEqualTo("WaitingReady");
        assertThat(json.at("/rollout/targetColor").asText()).isEqualTo("green");
        assertThat(json.at("/conditions/0/status").asText()).isEqualTo("True");
        assertThat(json.at("/events/1/type").asText()).isEqualTo("Warning");
        assertThat(json.at("/blue/ports/1").asInt()).isEqualTo(20002);
        assertThat(store.readActual("other")).isEmpty();
    }

    @Test
    void conditionKeepsTransitionTimeWhileStatusIsUnchanged() {
        ActualState a = ActualState.EMPTY
                .withCondition(new Condition("Ready", ConditionStatus.TRUE, "A", "a", T0))
                .withCondition(new Condition("Ready", ConditionStatus.TRUE, "B", "b", T0.plusSeconds(9)));
        assertThat(a.conditions()).containsExactly(new Condition("Ready", ConditionStatus.TRUE, "B", "b", T0));
        a = a.withCondition(new Condition("Ready", ConditionStatus.FALSE, "C", "c", T0.plusSeconds(10)));
        assertThat(a.condition("Ready").lastTransitionTime()).isEqualTo(T0.plusSeconds(10));
    }

    @Test
    void eventsAreBounded() {
        ActualState a = ActualState.EMPTY;
        for (int i = 0; i < ActualState.MAX_EVENTS + 7; i++) {
            a = a.withEvent(T0.plusSeconds(i), EventType.NORMAL, "E", "n" + i);
        }
        assertThat(a.events()).hasSize(ActualState.MAX_EVENTS);
        assertThat(a.events().get(0).message()).isEqualTo("n7");
        assertThat(a.events().get(ActualState.MAX_EVENTS - 1).message()).isEqualTo("n" + (ActualState.MAX_EVENTS + 6));
    }

    @Test
    void revisionsAreListedInOrderAndPruned() {
        StateStore store = open();
        assertThat(store.nextRevisionNumber("web")).isEqualTo(1);
        for (int n = 1; n <= 12; n++) {
            store.putRevision("web", new Revision(n, "h" + n, Samples.deployment("web", "" + n), Source.APPLY, T0));
        }
        assertThat(store.revisions("web")).extracting(Revision::number)
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12); // numeric, not lexical, order
        assertThat(store.readRevision("web", 10).orElseThrow().hash()).isEqualTo("h10");
        assertThat(store.nextRevisionNumber("web")).isEqualTo(13);

        assertThat(store.pruneRevisions("web", 3, Set.of(2))).containsExactly(1, 3, 4, 5, 6, 7, 8, 9);
        assertThat(store.revisions("web")).extracting(Revision::number).containsExactly(2, 10, 11, 12);
        assertThat(store.pruneRevisions("web", 3)).containsExactly(2);
        assertThat(store.pruneRevisions("web", 3)).isEmpty();
        assertThat(store.nextRevisionNumber("web")).isEqualTo(13);
        assertThatThrownBy(() -> store.pruneRevisions("web", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void revisionNumbersAreNotReusedAfterTheNewestIsQuarantined() throws IOException {
        StateStore store = open();
        store.putRevision("web", new Revision(1, "h1", Samples.deployment("web", "1"), Source.APPLY, T0));
        store.putRevision("web", new Revision(2, "h2", Samples.deployment("web", "2"), Source.APPLY, T0));
        Files.writeString(dir.resolve("state/apps/web/revisions/2.json"), "{\"schemaVersion\":1,\"num");
        assertThat(store.revisions("web")).extracting(Revision::number).containsExactly(1);
        assertThat(store.nextRevisionNumber("web")).isEqualTo(3);
    }

    @Test
    void archiveMovesTheAppDirectory() throws IOException {
        StateStore store = open();
        store.updateDesired(Samples.deployment("web", "1"), Source.APPLY);
        store.writeActual("web", ActualState.EMPTY);
        store.updateDesired(Samples.deployment("api", "1"), Source.APPLY);

        Path archived = store.archive("web").orElseThrow();
        assertThat(archived).isEqualTo(dir.resolve("state/archive/web-20261123T100000.123Z"));
        assertThat(archived.resolve("desired.json")).exists();
        assertThat(archived.resolve("actual.json")).exists();
        assertThat(store.listApps()).containsExactly("api");
        assertThat(store.readDesired("web")).isEmpty();

        // the same app archived twice within one clock tick gets a distinct directory
        store.updateDesired(Samples.deployment("web", "1"), Source.APPLY);
        assertThat(store.archive("web").orElseThrow()).isEqualTo(dir.resolve("state/archive/web-20261123T100000.123Z-1"));
        assertThat(store.archive("web")).isEmpty();
    }

    @Test
    void auditLogAppendsAndFilters() throws IOException {
        StateStore store = open();
        store.appendAudit(new AuditEntry(T0, "web", "apply", "user alice", Map.of("revision", "1", "color", "blue")));
        store.appendAudit(new AuditEntry(T0.plusSeconds(1), "api", "apply", "git 0123abc Bob <bob@x>", Map.of()));
        store.appendAudit(new AuditEntry(T0.plusSeconds(2), "web", "switch", "user alice", null));
        store.appendAudit(new AuditEntry(T0.plusSeconds(3), null, "sync", "timer", Map.of()));

        assertThat(store.readAudit(null, 100)).extracting(AuditEntry::action).containsExactly("apply", "apply", "switch", "sync");
        assertThat(store.readAudit("web", 100)).extracting(AuditEntry::time).containsExactly(T0, T0.plusSeconds(2));
        assertThat(store.readAudit(null, 2)).extracting(AuditEntry::action).containsExactly("switch", "sync");
        assertThat(store.readAudit(null, 0)).isEmpty();
        assertThat(store.readAudit(null, 100).get(0).details()).containsExactly(Map.entry("color", "blue"), Map.entry("revision", "1"));

        Path log = dir.resolve("state/audit.log");
        assertThat(mode(log)).isEqualTo("rw-------");
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("{\"schemaVersion\":1,\"time\":\"2026-11-23T10:00:00.123Z\",\"app\":\"web\"");
    }

    @Test
    void auditLogSkipsBadLinesAndTornTail() throws IOException {
        StateStore store = open();
        store.appendAudit(new AuditEntry(T0, "web", "apply", "user alice", Map.of()));
        Path log = dir.resolve("state/audit.log");
        Files.writeString(log, "garbage\n{\"schemaVersion\":9,\"time\":\"2026-11-23T10:00:00Z\",\"action\":\"x\"}\n{\"schemaVersion\":1,\"ti",
                java.nio.file.StandardOpenOption.APPEND);
        try (LogCapture logs = new LogCapture(StateStore.class)) {
            assertThat(store.readAudit(null, 10)).extracting(AuditEntry::action).containsExactly("apply");
            assertThat(logs.lines).extracting(LogCapture.Line::message)
                    .anySatisfy(m -> assertThat(m).contains("line 2").contains("not valid JSON"))
                    .anySatisfy(m -> assertThat(m).contains("line 3").contains("unsupported schemaVersion 9"));
        }
        store.appendAudit(new AuditEntry(T0, "web", "switch", "user alice", Map.of()));
        assertThat(store.readAudit(null, 10)).extracting(AuditEntry::action).containsExactly("apply", "switch");
        assertThat(Files.readString(log)).doesNotContain("\"ti\n").endsWith("}\n");
    }

    @Test
    void unknownFieldsAreIgnoredForForwardCompatibility() throws IOException {
        StateStore store = open();
        store.writeActual("web", ActualState.EMPTY.withObservedGeneration(7));
        Path file = dir.resolve("state/apps/web/actual.json");
        Files.writeString(file, Files.readString(file).replace("{", "{\"addedLater\":{\"x\":1},"));
        assertThat(store.readActual("web").orElseThrow().observedGeneration()).isEqualTo(7);
        assertThat(file).exists();
    }

    @Test
    void invalidAppNamesNeverBecomePaths() {
        StateStore store = open();
        for (String bad : List.of("..", "../etc", "a/b", "", "Web", "-web", "web-", "a".repeat(27), "a".repeat(64), "web\n")) {
            assertThatThrownBy(() -> store.readActual(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        // the manifest's rule, not a longer one of its own: no app a manifest cannot name gets a directory
        assertThatThrownBy(() -> store.writeActual("a".repeat(27), ActualState.EMPTY))
                .hasMessageContaining("invalid app name").hasMessageContaining("1 to 26 characters");
        store.writeActual("a".repeat(26), ActualState.EMPTY);
        assertThat(store.listApps()).contains("a".repeat(26));
        assertThatThrownBy(() -> store.appendAudit(new AuditEntry(T0, "../x", "a", "c", null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leftoverTempFilesAreRemovedAtStartupButGitIsLeftAlone() throws IOException {
        open().writeActual("web", ActualState.EMPTY);
        Path appDir = dir.resolve("state/apps/web");
        Path tempApp = appDir.resolve(".actual.json" + AtomicFiles.TEMP_MARKER + "deadbeef");
        Path tempRev = Files.createDirectories(appDir.resolve("revisions")).resolve(".3.json" + AtomicFiles.TEMP_MARKER + "1");
        Path tempArtifact = dir.resolve("state/artifacts/sha256/.ab" + AtomicFiles.TEMP_MARKER + "2");
        Path tempTop = dir.resolve("state/.store" + AtomicFiles.TEMP_MARKER + "3");
        Path gitFile = dir.resolve("state/git/.x" + AtomicFiles.TEMP_MARKER + "4");
        for (Path p : List.of(tempApp, tempRev, tempArtifact, tempTop, gitFile)) {
            Files.writeString(p, "{\"torn");
        }
        StateStore reopened = open();
        assertThat(List.of(tempApp, tempRev, tempArtifact, tempTop)).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(gitFile).exists();
        assertThat(reopened.readActual("web")).contains(ActualState.EMPTY);
    }

    // ---- corruption: each kind is moved aside with a WARN and read as absent

    @Test
    void emptyFileIsQuarantined() throws IOException {
        assertQuarantined("", "empty file");
    }

    @Test
    void tornFileIsQuarantined() throws IOException {
        StateStore store = open();
        store.writeActual("web", ActualState.EMPTY.withEvent(T0, EventType.NORMAL, "R", "m"));
        String whole = Files.readString(dir.resolve("state/apps/web/actual.json"));
        assertQuarantined(whole.substring(0, whole.length() / 2), "not valid JSON");
    }

    @Test
    void garbageIsQuarantined() throws IOException {
        assertQuarantined("\u0000\u0001\u00ffPK garbage", "not valid JSON");
    }

    @Test
    void nonObjectIsQuarantined() throws IOException {
        assertQuarantined("[1,2,3]", "not a JSON object");
    }

    @Test
    void missingSchemaVersionIsQuarantined() throws IOException {
        assertQuarantined("{\"observedGeneration\":1}", "no schemaVersion");
    }

    @Test
    void unknownSchemaVersionIsQuarantined() throws IOException {
        assertQuarantined("{\"schemaVersion\":2,\"observedGeneration\":1}", "unsupported schemaVersion 2");
        assertQuarantined("{\"schemaVersion\":\"1\",\"observedGeneration\":1}", "unsupported schemaVersion \"1\"");
    }

    @Test
    void wrongShapeIsQuarantined() throws IOException {
        assertQuarantined("{\"schemaVersion\":1,\"observedGeneration\":\"many\"}", "does not match the ActualState schema");
        assertQuarantined("{\"schemaVersion\":1,\"live\":\"purple\"}", "does not match the ActualState schema");
    }

    @Test
    void desiredStateMissingRequiredPartsIsQuarantined() throws IOException {
        StateStore store = open();
        Path file = Files.createDirectories(dir.resolve("state/apps/web")).resolve("desired.json");
        Files.writeString(file, "{\"schemaVersion\":1,\"generation\":1}");
        try (LogCapture logs = new LogCapture(StateStore.class)) {
            assertThat(store.readDesired("web")).isEmpty();
            assertThat(logs.lines).anySatisfy(l -> assertThat(l.message()).contains("desired.json").contains("DesiredApp schema"));
        }
        assertThat(store.quarantined("web")).hasSize(1);
    }

    @Test
    void corruptRevisionIsSkippedAndOthersStillRead() throws IOException {
        StateStore store = open();
        store.putRevision("web", new Revision(1, "h1", Samples.deployment("web", "1"), Source.APPLY, T0));
        Files.writeString(Files.createDirectories(dir.resolve("state/apps/web/revisions")).resolve("2.json"), "");
        store.putRevision("web", new Revision(3, "h3", Samples.deployment("web", "3"), Source.APPLY, T0));
        assertThat(store.revisions("web")).extracting(Revision::number).containsExactly(1, 3);
        assertThat(store.quarantined("web")).extracting(p -> p.getFileName().toString())
                .containsExactly("2.json.corrupt-20261123T100000.123Z");
    }

    @Test
    void twoQuarantinesInOneClockTickKeepBothFiles() throws IOException {
        StateStore store = open();
        Path file = Files.createDirectories(dir.resolve("state/apps/web")).resolve("actual.json");
        Files.writeString(file, "first");
        assertThat(store.readActual("web")).isEmpty();
        Files.writeString(file, "second");
        assertThat(store.readActual("web")).isEmpty();
        assertThat(store.quarantined("web")).extracting(p -> p.getFileName().toString())
                .containsExactly("actual.json.corrupt-20261123T100000.123Z", "actual.json.corrupt-20261123T100000.123Z-1");
        assertThat(dir.resolve("state/apps/web/actual.json.corrupt-20261123T100000.123Z")).hasContent("first");
    }

    /** Writes {@code content} as web's actual.json and checks the read, the rename, the log line. */
    private void assertQuarantined(String content, String reason) throws IOException {
        StateStore store = open();
        Path file = Files.createDirectories(dir.resolve("state/apps/web")).resolve("actual.json");
        Files.writeString(file, content, UTF_8);
        try (LogCapture logs = new LogCapture(StateStore.class)) {
            assertThat(store.readActual("web")).isEmpty();
            assertThat(logs.lines).filteredOn(l -> l.level().getName().equals("WARN") || l.level().getName().equals("WARNING"))
                    .singleElement()
                    .satisfies(l -> assertThat(l.message()).contains(file.toString()).contains(reason)
                            .contains("moved it aside to actual.json.corrupt-"));
        }
        assertThat(file).doesNotExist();
        List<Path> aside = store.quarantined("web");
        assertThat(aside).isNotEmpty();
        assertThat(aside.get(aside.size() - 1)).hasContent(content);
        // the next write works normally and the app is usable again
        store.writeActual("web", ActualState.EMPTY);
        assertThat(store.readActual("web")).contains(ActualState.EMPTY);
        Files.delete(file);
        try (Stream<Path> s = Files.list(file.getParent())) {
            s.forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
