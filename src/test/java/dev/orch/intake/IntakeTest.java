package dev.orch.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.manifest.Deployment;
import dev.orch.reconcile.ResyncBench;
import dev.orch.state.ActualState;
import dev.orch.state.AuditEntry;
import dev.orch.state.ConditionStatus;
import dev.orch.state.ConditionType;
import dev.orch.state.Reason;
import dev.orch.state.Source;
import dev.orch.state.StateStore;
import dev.orch.state.StatusInbox;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one door for desired state: generations, audit with the caller, ownership, the source's condition. */
class IntakeTest {
    @TempDir
    Path dir;

    final List<String> enqueued = new ArrayList<>();
    final StatusInbox inbox = new StatusInbox();

    Intake intake(StateStore store) {
        return new Intake(store, inbox, app -> {
            synchronized (enqueued) {
                enqueued.add(app);
            }
        }, Clock.systemUTC());
    }

    @Test
    void twoWritersApplyingDifferentGenerationsConcurrentlyLoseNoGeneration() throws Exception {
        StateStore store = new StateStore(dir);
        Intake intake = intake(store);
        Deployment a = ResyncBench.deployment("web", 31000);
        Deployment b = ResyncBench.deployment("web", 31001);
        int rounds = 1000;
        AtomicInteger changes = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CyclicBarrier together = new CyclicBarrier(2);
        List<Thread> writers = new ArrayList<>();
        for (Deployment d : List.of(a, b)) {
            // one writer stands for the API (apply), the other for a git repository: both go through the intake
            Source source = d == a ? Source.APPLY : Source.git("https://git.example/ops.git", "main@sha1:" + "0".repeat(40), "apps/web.yaml");
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    together.await();
                    for (int i = 0; i < rounds; i++) {
                        Intake.Outcome o = intake.put(d, source, null, Actor.user("t"), "apply", Map.of());
                        if (o.change() != Intake.Change.UNCHANGED) {
                            changes.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : writers) {
            t.join();
        }
        assertThat(failures).isEmpty();
        long generation = store.readDesired("web").orElseThrow().generation();
        assertThat(changes.get()).as("writes that changed something").isGreaterThan(1);
        assertThat(generation).as("stored generation == number of changes").isEqualTo(changes.get());
        List<AuditEntry> audit = store.readAudit("web", 10 * rounds);
        assertThat(audit).as("one audit entry per change").hasSize(changes.get());
        assertThat(audit.stream().map(e -> Long.parseLong(e.details().get("generation"))).toList())
                .as("audited in generation order").isSorted().doesNotHaveDuplicates();
    }

    @Test
    void anIdenticalApplyChangesNothingAndIsNotAudited() {
        StateStore store = new StateStore(dir);
        Intake intake = intake(store);
        Deployment d = ResyncBench.deployment("web", 31000);
        assertThat(intake.put(d, Source.APPLY, null, Actor.user("alice"), "apply", Map.of())).isEqualTo(new Intake.Outcome("web", Intake.Change.CREATED, 1));
        assertThat(intake.put(d, Source.APPLY, null, Actor.user("alice"), "apply", Map.of())).isEqualTo(new Intake.Outcome("web", Intake.Change.UNCHANGED, 1));
        assertThat(store.readAudit("web", 10)).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("apply");
            assertThat(e.cause()).isEqualTo("user alice");
            assertThat(e.details()).containsEntry("generation", "1");
        });
        assertThat(enqueued).containsExactly("web", "web");
    }

    @Test
    void aByHandApplyOfAnAppGitDefinesIsRefusedUnlessForcedAndThenShowsTheOverride() {
        StateStore store = new StateStore(dir);
        Intake intake = intake(store);
        intake.owners(app -> app.equals("web") ? Optional.of(new Owner("ops", "https://git.example/ops.git", "apps/web.yaml")) : Optional.empty());
        Deployment web = ResyncBench.deployment("web", 31000);
        Deployment api = ResyncBench.deployment("api", 31001);

        assertThatThrownBy(() -> intake.applyByHand(List.of(api, web), Actor.user("bob"), false, false))
                .isInstanceOf(OwnershipConflict.class)
                .hasMessageContaining("app \"web\" is defined in git repository ops (https://git.example/ops.git) at apps/web.yaml");
        assertThat(store.readDesired("api")).as("all or nothing").isEmpty();

        assertThat(intake.applyByHand(List.of(web), Actor.user("bob"), true, false)).extracting(Intake.Outcome::change).containsExactly(Intake.Change.CREATED);
        ActualState status = ActualState.EMPTY;
        for (var change : inbox.take("web")) {
            status = change.apply(status);
        }
        assertThat(status.condition(ConditionType.GIT_SYNCED)).satisfies(c -> {
            assertThat(c.status()).isEqualTo(ConditionStatus.FALSE);
            assertThat(c.reason()).isEqualTo(Reason.OVERRIDDEN_BY_APPLY.wire());
        });
        assertThat(store.readAudit("web", 10)).singleElement().extracting(AuditEntry::cause).isEqualTo("user bob");
    }

    /** Ownership as the git sources keep it: web is defined by repository ops; pins are recorded here. */
    final Map<String, Pin> pins = new java.util.LinkedHashMap<>();

    Ownership opsOwnsWeb() {
        return new Ownership() {
            @Override
            public Optional<Owner> owner(String app) {
                return app.equals("web") ? Optional.of(new Owner("ops", "https://git.example/ops.git", "apps/web.yaml", pins.get(app))) : Optional.empty();
            }

            @Override
            public void pin(String app, Pin pin) {
                pins.put(app, pin);
            }
        };
    }

    @Test
    void aByHandDeleteOfAnAppGitDefinesIsRefusedUnlessForcedAndTheForcedOneIsPinned() {
        StateStore store = new StateStore(dir);
        Intake intake = intake(store);
        intake.ownership(opsOwnsWeb());
        Source git = Source.git("https://git.example/ops.git", "main@sha1:" + "0".repeat(40), "apps/web.yaml");
        intake.put(ResyncBench.deployment("web", 31000), git, null, Actor.git("0000000 Dev <dev@example.com>"), "apply", Map.of());

        assertThatThrownBy(() -> intake.deleteByHand("web", Actor.user("bob"), false))
                .isInstanceOf(OwnershipConflict.class)
                .hasMessage("app \"web\" is defined in git repository ops (https://git.example/ops.git) at apps/web.yaml: remove it there, or override"
                        + " with 'orchctl delete --force-conflicts' (the app stays deleted until the next commit that changes it); nothing was deleted");
        assertThat(store.readDesired("web")).as("not deleted").isPresent();
        assertThat(pins).isEmpty();

        assertThat(intake.deleteByHand("web", Actor.user("bob"), true).change()).isEqualTo(Intake.Change.DELETED);
        assertThat(store.readDesired("web")).isEmpty();
        assertThat(pins.get("web")).satisfies(p -> {
            assertThat(p.reason()).isEqualTo("DeletedByHand");
            assertThat(p.revision()).isNull();
            assertThat(p.actor()).isEqualTo("user bob");
            assertThat(p.endsWhen()).isEqualTo("the next commit to ops that changes app web (apps/web.yaml)");
        });
        assertThat(store.readAudit("web", 10)).extracting(e -> e.action() + " by " + e.cause() + " " + e.details())
                .containsExactly("apply by git 0000000 Dev <dev@example.com> {generation=1}",
                        "delete by user bob {forced=true, path=apps/web.yaml, repository=https://git.example/ops.git}");
        // an app no repository defines is deleted without force
        intake.put(ResyncBench.deployment("api", 31001), Source.APPLY, null, Actor.user("bob"), "apply", Map.of());
        assertThat(intake.deleteByHand("api", Actor.user("bob"), false).change()).isEqualTo(Intake.Change.DELETED);
    }

    @Test
    void anUndoOfAnAppGitDefinesPinsItWithAConditionAndAnEvent() {
        StateStore store = new StateStore(dir);
        Intake intake = intake(store);
        intake.ownership(opsOwnsWeb());
        Source git = Source.git("https://git.example/ops.git", "main@sha1:" + "0".repeat(40), "apps/web.yaml");
        intake.put(ResyncBench.deployment("web", 31001), git, null, Actor.git("0000000 Dev <dev@example.com>"), "apply", Map.of());
        inbox.take("web");

        intake.rollBack(ResyncBench.deployment("web", 31000), git, null, 1, Actor.user("bob"), "undo");
        Pin pin = pins.get("web");
        assertThat(pin.reason()).isEqualTo("RolledBack");
        assertThat(pin.revision()).isEqualTo(1);
        ActualState status = ActualState.EMPTY;
        for (var change : inbox.take("web")) {
            status = change.apply(status);
        }
        String msg = "web pinned at revision 1 by user bob since " + pin.since() + "; the next commit to ops that changes app web (apps/web.yaml) ends it";
        assertThat(status.condition(ConditionType.GIT_SYNCED)).satisfies(c -> {
            assertThat(c.status()).isEqualTo(ConditionStatus.FALSE);
            assertThat(c.reason()).isEqualTo("RolledBack");
            assertThat(c.message()).isEqualTo(msg);
        });
        assertThat(status.events()).extracting(e -> e.type().wire() + " " + e.reason() + " " + e.message()).containsExactly("Warning RolledBack " + msg);
        assertThat(store.readAudit("web", 10)).last().extracting(e -> e.action() + " by " + e.cause() + " " + e.details())
                .isEqualTo("undo by user bob {generation=2, pinned=true, revision=1}");

        // an app no repository defines is rolled back without a pin
        intake.put(ResyncBench.deployment("api", 31001), Source.APPLY, null, Actor.user("bob"), "apply", Map.of());
        intake.rollBack(ResyncBench.deployment("api", 31002), Source.APPLY, null, 1, Actor.user("bob"), "undo");
        assertThat(pins).containsOnlyKeys("web");
    }

    @Test
    void aDryRunChangesNothing() {
        StateStore store = new StateStore(dir);
        Intake intake = intake(store);
        assertThat(intake.applyByHand(List.of(ResyncBench.deployment("web", 31000)), Actor.user("c"), false, true))
                .containsExactly(new Intake.Outcome("web", Intake.Change.CREATED, 0));
        assertThat(store.readDesired("web")).isEmpty();
        assertThat(store.readAudit("web", 10)).isEmpty();
        assertThat(enqueued).isEmpty();
    }

    @Test
    void aDeleteIsAuditedAndAnUnknownAppIsNotFound() {
        StateStore store = new StateStore(dir);
        Intake intake = intake(store);
        intake.put(ResyncBench.deployment("web", 31000), Source.APPLY, null, Actor.token("api"), "apply", Map.of());
        assertThat(intake.delete("web", Actor.token("api"), Map.of()).change()).isEqualTo(Intake.Change.DELETED);
        assertThat(intake.delete("web", Actor.token("api"), Map.of()).change()).isEqualTo(Intake.Change.NOT_FOUND);
        assertThat(store.readAudit("web", 10)).extracting(AuditEntry::action, AuditEntry::cause)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("apply", "token api"), org.assertj.core.groups.Tuple.tuple("delete", "token api"));
    }
}
