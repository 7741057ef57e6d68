package dev.orch.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log rotates by size without losing an entry, and every search reads the rotated files too. */
class AuditLogTest {
    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    @TempDir
    Path dir;

    static AuditEntry entry(int i) {
        String app = i % 2 == 0 ? "web" : "api";
        return switch (i % 3) {
            case 0 -> new AuditEntry(T0.plusSeconds(i), app, "apply", "user alice", Map.of("generation", Integer.toString(i)));
            case 1 -> new AuditEntry(T0.plusSeconds(i), app, "apply", "git 0123456789ab Dev <dev@example.com>", Map.of("generation", Integer.toString(i)));
            default -> new AuditEntry(T0.plusSeconds(i), app, "rollout", "git https://git.example/ops.git main@sha1:0123 apps/" + app + ".yaml",
                    Map.of("revision", Integer.toString(i)), "controller orchd");
        };
    }

    @Test
    void aSmallMaximumRotatesTheLogAndEverySearchStillSeesEveryEntryInOrder() throws Exception {
        StateStore store = new StateStore(dir, Clock.systemUTC(), 400);
        List<AuditEntry> written = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            written.add(entry(i));
            store.appendAudit(entry(i));
        }

        List<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("audit.log")).sorted().toList();
        }
        assertThat(files.size()).as("%s", files).isGreaterThan(5);
        assertThat(files).contains("audit.log", "audit.log.1", "audit.log.2");
        for (String f : files) {
            assertThat(Files.size(dir.resolve(f))).as(f).isLessThanOrEqualTo(400);
        }
        assertThat(store.readAudit(null, 1000)).containsExactlyElementsOf(written);
        assertThat(store.readAudit(null, 2)).containsExactlyElementsOf(written.subList(28, 30));

        // filters: app, since, source (git: a commit or a rollout of a git revision; api: a user or token)
        assertThat(store.searchAudit(new AuditQuery("web", null, null, 0))).extracting(AuditEntry::app).hasSize(15).containsOnly("web");
        assertThat(store.searchAudit(new AuditQuery(null, T0.plusSeconds(27), null, 0))).containsExactlyElementsOf(written.subList(27, 30));
        assertThat(store.searchAudit(new AuditQuery(null, null, AuditQuery.API, 0))).hasSize(10)
                .allSatisfy(e -> assertThat(e.actor()).isEqualTo("user alice"));
        assertThat(store.searchAudit(new AuditQuery("web", null, AuditQuery.GIT, 0))).extracting(e -> e.time().getEpochSecond() - T0.getEpochSecond())
                .containsExactly(2L, 4L, 8L, 10L, 14L, 16L, 20L, 22L, 26L, 28L);

        // a new store over the same directory goes on numbering after the last rotated file
        StateStore again = new StateStore(dir, Clock.systemUTC(), 400);
        for (int i = 30; i < 40; i++) {
            written.add(entry(i));
            again.appendAudit(entry(i));
        }
        assertThat(again.readAudit(null, 1000)).containsExactlyElementsOf(written);
    }

    @Test
    void eachEntryCarriesItsActorAndCause() {
        StateStore store = new StateStore(dir);
        store.appendAudit(entry(2));
        store.appendAudit(entry(3));
        store.appendAudit(new AuditEntry(T0, "web", "rollout", "apply", Map.of(), "controller orchd"));
        store.appendAudit(new AuditEntry(T0, "web", "delete", "controller", Map.of(), "controller orchd"));
        store.appendAudit(new AuditEntry(T0, "web", "apply", "token api", Map.of()));
        assertThat(store.readAudit(null, 10)).extracting(e -> e.actor() + " / " + e.cause() + " / " + AuditQuery.sourceOf(e))
                .containsExactly("controller orchd / git https://git.example/ops.git main@sha1:0123 apps/web.yaml / git", "user alice / user alice / api",
                        "controller orchd / apply / api", "controller orchd / controller / controller", "token api / token api / api");
        assertThat(store.searchAudit(new AuditQuery(null, null, AuditQuery.CONTROLLER, 0))).extracting(AuditEntry::action).containsExactly("delete");
    }

    @Test
    void aLineWrittenBeforeTheActorExistedReadsWithoutOne() throws Exception {
        StateStore store = new StateStore(dir);
        Files.writeString(dir.resolve("audit.log"), "{\"schemaVersion\":1,\"time\":\"2026-11-23T10:00:00Z\",\"app\":\"web\",\"action\":\"apply\","
                + "\"cause\":\"git 0123456789ab Dev <dev@example.com>\",\"details\":{}}\n");
        assertThat(store.readAudit("web", 10)).singleElement().satisfies(e -> {
            assertThat(e.actor()).isNull();
            assertThat(AuditQuery.sourceOf(e)).isEqualTo(AuditQuery.GIT);
        });
    }

    @Test
    void withoutAMaximumTheLogNeverRotates() throws Exception {
        StateStore store = new StateStore(dir, Clock.systemUTC(), 0);
        for (int i = 0; i < 30; i++) {
            store.appendAudit(entry(i));
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("audit.log"))).containsExactly("audit.log");
        }
        assertThat(store.readAudit(null, 100)).hasSize(30);
    }
}
