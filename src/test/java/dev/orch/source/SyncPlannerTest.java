package dev.orch.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.intake.Actor;
import dev.orch.intake.Pin;
import dev.orch.manifest.Deployment;
import dev.orch.manifest.LoadResult;
import dev.orch.manifest.LoadedManifest;
import dev.orch.manifest.ManifestError;
import dev.orch.manifest.ManifestLoader;
import dev.orch.source.SyncPlan.Action;
import dev.orch.source.SyncPlan.Step;
import dev.orch.source.SyncPlanner.Contents;
import dev.orch.state.AppEvent;
import dev.orch.state.Condition;
import dev.orch.state.ConditionStatus;
import dev.orch.state.DesiredApp;
import dev.orch.state.EventType;
import dev.orch.state.Source;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The sync decision as a table: (previous record, commit contents, desired state) -> steps, next record, status. */
class SyncPlannerTest {
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String URL = "file:///srv/git/apps.git";
    static final SyncPlanner.Repo REPO = new SyncPlanner.Repo("apps", URL, "apps");
    static final String C0 = "0".repeat(40);
    static final String C1 = "1".repeat(40);
    static final String REV0 = "main@sha1:" + C0;
    static final String REV1 = "main@sha1:" + C1;
    static final SyncPlanner.Commit COMMIT = new SyncPlanner.Commit(C1, REV1, "Dev Eloper <dev@example.com>");
    /** What the rendered records show instead of a hash: {@code web:v1}. */
    static final Map<String, String> LABELS = new HashMap<>();

    static Deployment d(String app, String greeting) {
        Deployment d = new ManifestLoader().loadString(app + ".yaml", TestRepo.manifest(app, 8080, greeting))
                .deployments().get(0);
        LABELS.put(RepoRecord.hashOf(d), app + ":" + greeting);
        return d;
    }

    static LoadedManifest at(String file, Deployment d) {
        return new LoadedManifest(d, file, 1);
    }

    static ManifestError error(String file) {
        return new ManifestError(file, 8, 5, "spec.route.colour", "unknown field \"colour\"");
    }

    static Contents contents(List<LoadedManifest> manifests, ManifestError... errors) {
        return new Contents(true, new LoadResult(manifests, List.of(errors)));
    }

    /** A record entry of the previous commit, at {@link #REV0}. */
    static Map.Entry<String, RepoRecord.AppRecord> was(String file, Deployment d) {
        return Map.entry(d.name(), new RepoRecord.AppRecord(file, REV0, RepoRecord.hashOf(d)));
    }

    @SafeVarargs
    static RepoRecord record(Set<String> held, Map.Entry<String, RepoRecord.AppRecord>... apps) {
        return new RepoRecord(C0, Map.ofEntries(apps), held);
    }

    static final Pin ROLLED_BACK = new Pin(Pin.ROLLED_BACK, 1, NOW.minusSeconds(60), "user root", "the next commit to apps that changes app web (apps/web.yaml)");
    static final Pin DELETED = new Pin(Pin.DELETED_BY_HAND, null, NOW.minusSeconds(60), "user root", "the next commit to apps that changes app web (apps/web.yaml)");

    static RepoRecord pinned(RepoRecord r, String app, Pin pin) {
        return r.withPin(app, pin);
    }

    static DesiredApp git(String file, Deployment d) {
        return new DesiredApp(d, Source.git(URL, REV0, file), 1, NOW, NOW);
    }

    static DesiredApp byHand(Deployment d) {
        return new DesiredApp(d, Source.APPLY, 2, NOW, NOW);
    }

    static Map<String, DesiredApp> desired(DesiredApp... apps) {
        Map<String, DesiredApp> m = new HashMap<>();
        for (DesiredApp a : apps) {
            m.put(a.name(), a);
        }
        return m;
    }

    /** {@code web UPDATE apps/web.yaml GitSynced=True/Synced +Normal/GitSynced}. */
    static String render(Step s) {
        return s.app() + " " + s.action() + " " + s.path()
                + (s.condition() == null ? "" : " " + s.condition().type() + "=" + s.condition().status().wire() + "/" + s.condition().reason())
                + (s.event() == null ? "" : " +" + s.event().type().wire() + "/" + s.event().reason());
    }

    /** {@code web apps/web.yaml @1 web:v2 held}: the commit that last changed it (0 or 1) and the manifest hashed. */
    static List<String> render(RepoRecord r) {
        List<String> out = new ArrayList<>();
        r.apps().forEach((app, a) -> out.add(app + " " + a.path() + " @" + a.revision().charAt(a.revision().length() - 1) + " "
                + LABELS.getOrDefault(a.hash(), a.hash()) + (r.held().contains(app) ? " held" : "")
                + (r.pins().containsKey(app) ? " pinned:" + r.pins().get(app).reason() : "")));
        return out;
    }

    record Case(String name, RepoRecord previous, Contents contents, Map<String, DesiredApp> desired, Map<String, String> elsewhere,
            List<String> steps, List<String> next, String reason, List<String> errors) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Deployment WEB1 = d("web", "v1");
    static final Deployment WEB2 = d("web", "v2");
    static final Deployment HOTFIX = d("web", "hotfix");
    static final Deployment OLD_WEB = d("web", "v0");
    static final Deployment API1 = d("api", "v1");
    static final Deployment API2 = d("api", "v2");
    static final Deployment DB1 = d("db", "v1");
    static final String WEB = "apps/web.yaml";
    static final String API = "apps/api.yaml";
    static final String BOTH = "apps/both.yaml";
    static final String DB = "apps/db.yaml";
    static final String BROKEN = "apps/both.yaml:8:5: spec.route.colour: unknown field \"colour\"";
    static final String OTHER = "more (file:///srv/git/more.git web.yaml)";
    static final String CONFLICT = "apps/web.yaml:1:1: metadata.name: app \"web\" is already defined by git repository " + OTHER
            + "; an app has exactly one source";
    static final Set<String> NONE = Set.of();

    static Stream<Case> table() {
        var prevWeb = record(NONE, was(WEB, WEB1));
        var prevWebApi = record(NONE, was(WEB, WEB1), was(API, API1));
        var prevBoth = record(NONE, was(BOTH, WEB1), was(BOTH, API1), was(DB, DB1));
        var heldWeb = record(Set.of("web"), was(WEB, WEB1));
        Map<String, String> none = Map.of();
        return Stream.of(
                new Case("first commit creates every app", RepoRecord.EMPTY, contents(List.of(at(WEB, WEB1), at(API, API1))), desired(), none,
                        List.of("api CREATE apps/api.yaml GitSynced=True/Synced +Normal/GitSynced", "web CREATE apps/web.yaml GitSynced=True/Synced +Normal/GitSynced"),
                        List.of("api apps/api.yaml @1 api:v1", "web apps/web.yaml @1 web:v1"), "Synced", List.of()),
                new Case("a changed manifest is put, its unchanged sibling kept", prevWebApi, contents(List.of(at(WEB, WEB2), at(API, API1))),
                        desired(git(WEB, WEB1), git(API, API1)), none,
                        List.of("api KEEP apps/api.yaml", "web UPDATE apps/web.yaml GitSynced=True/Synced +Normal/GitSynced"),
                        List.of("api apps/api.yaml @0 api:v1", "web apps/web.yaml @1 web:v2"), "Synced", List.of()),
                new Case("an unchanged app is kept at the commit that last changed it", prevWeb, contents(List.of(at(WEB, WEB1))),
                        desired(git(WEB, WEB1)), none, List.of("web KEEP apps/web.yaml"), List.of("web apps/web.yaml @0 web:v1"), "Synced", List.of()),
                new Case("an override by apply stays while git does not change the app", prevWeb, contents(List.of(at(WEB, WEB1))),
                        desired(byHand(HOTFIX)), none, List.of("web KEEP apps/web.yaml"), List.of("web apps/web.yaml @0 web:v1"), "Synced", List.of()),
                new Case("a commit that changes the app replaces the override", prevWeb, contents(List.of(at(WEB, WEB2))),
                        desired(byHand(HOTFIX)), none, List.of("web UPDATE apps/web.yaml GitSynced=True/Synced +Normal/GitSynced"),
                        List.of("web apps/web.yaml @1 web:v2"), "Synced", List.of()),
                new Case("a file error holds its apps, the good documents too; other files deploy", prevBoth,
                        contents(List.of(at(BOTH, API2), at(DB, d("db", "v2"))), error(BOTH)),
                        desired(git(BOTH, WEB1), git(BOTH, API1), git(DB, DB1)), none,
                        List.of("api HOLD apps/both.yaml GitSynced=False/ManifestError +Warning/ManifestError",
                                "db UPDATE apps/db.yaml GitSynced=True/Synced +Normal/GitSynced",
                                "web HOLD apps/both.yaml GitSynced=False/ManifestError +Warning/ManifestError"),
                        List.of("api apps/both.yaml @0 api:v1 held", "db apps/db.yaml @1 db:v2", "web apps/both.yaml @0 web:v1 held"), "ManifestErrors",
                        List.of(BROKEN)),
                new Case("a new app in a file with errors waits for the fix", RepoRecord.EMPTY, contents(List.of(at(BOTH, API1)), error(BOTH)),
                        desired(), none, List.of("api BLOCKED apps/both.yaml"), List.of(), "ManifestErrors", List.of(BROKEN)),
                new Case("the fixed file clears the condition of an app it did not change", heldWeb, contents(List.of(at(WEB, WEB1))),
                        desired(git(WEB, WEB1)), none, List.of("web KEEP apps/web.yaml GitSynced=True/Synced"), List.of("web apps/web.yaml @0 web:v1"),
                        "Synced", List.of()),
                new Case("the fixed file with a change puts the app", heldWeb, contents(List.of(at(WEB, WEB2))), desired(git(WEB, WEB1)), none,
                        List.of("web UPDATE apps/web.yaml GitSynced=True/Synced +Normal/GitSynced"), List.of("web apps/web.yaml @1 web:v2"), "Synced", List.of()),
                new Case("the fixed file of an overridden app says the override, not Synced", heldWeb, contents(List.of(at(WEB, WEB1))),
                        desired(byHand(HOTFIX)), none, List.of("web KEEP apps/web.yaml GitSynced=False/OverriddenByApply"),
                        List.of("web apps/web.yaml @0 web:v1"), "Synced", List.of()),
                new Case("an app that left the repository is deleted", prevWebApi, contents(List.of(at(WEB, WEB1))),
                        desired(git(WEB, WEB1), git(API, API1)), none, List.of("api DELETE apps/api.yaml", "web KEEP apps/web.yaml"),
                        List.of("web apps/web.yaml @0 web:v1"), "Synced", List.of()),
                new Case("a missing directory prunes nothing, with a warning", prevWebApi, Contents.MISSING, desired(git(WEB, WEB1), git(API, API1)), none,
                        List.of("api SPARE apps/api.yaml", "web SPARE apps/web.yaml"), List.of("api apps/api.yaml @0 api:v1", "web apps/web.yaml @0 web:v1"),
                        "NothingPruned", List.of("warning: directory apps does not exist in " + REV1
                                + ": nothing pruned (api, web kept); delete apps one by one, or restore the directory")),
                new Case("a directory with no manifest prunes nothing", prevWeb, contents(List.of()), desired(git(WEB, WEB1)), none,
                        List.of("web SPARE apps/web.yaml"), List.of("web apps/web.yaml @0 web:v1"), "NothingPruned",
                        List.of("warning: directory apps holds no manifest in " + REV1 + ": nothing pruned (web kept); delete apps one by one, or restore the directory")),
                new Case("a directory whose only file is unreadable holds its app and prunes nothing", prevWebApi,
                        contents(List.of(), new ManifestError(WEB, 2, 7, "", "invalid YAML: syntax error")), desired(git(WEB, WEB1), git(API, API1)), none,
                        List.of("api SPARE apps/api.yaml", "web HOLD apps/web.yaml GitSynced=False/ManifestError +Warning/ManifestError"),
                        List.of("api apps/api.yaml @0 api:v1", "web apps/web.yaml @0 web:v1 held"), "ManifestErrors",
                        List.of("warning: directory apps holds no manifest in " + REV1 + ": nothing pruned (api kept); delete apps one by one, or restore the directory",
                                "apps/web.yaml:2:7: invalid YAML: syntax error")),
                new Case("a broken file does not stop the prune of an app that left", prevWebApi,
                        contents(List.of(at(DB, DB1)), new ManifestError(WEB, 2, 7, "", "invalid YAML: syntax error")),
                        desired(git(WEB, WEB1), git(API, API1)), none,
                        List.of("api DELETE apps/api.yaml", "db CREATE apps/db.yaml GitSynced=True/Synced +Normal/GitSynced",
                                "web HOLD apps/web.yaml GitSynced=False/ManifestError +Warning/ManifestError"),
                        List.of("db apps/db.yaml @1 db:v1", "web apps/web.yaml @0 web:v1 held"), "ManifestErrors",
                        List.of("apps/web.yaml:2:7: invalid YAML: syntax error")),
                new Case("an app moved to another file is put with its new path, not pruned", prevWeb, contents(List.of(at("apps/team/web.yaml", WEB1))),
                        desired(git(WEB, WEB1)), none, List.of("web UPDATE apps/team/web.yaml GitSynced=True/Synced +Normal/GitSynced"),
                        List.of("web apps/team/web.yaml @1 web:v1"), "Synced", List.of()),
                new Case("an app moved into a file with errors is held, not pruned", prevWebApi,
                        contents(List.of(at(API, API1), at(BOTH, WEB1)), error(BOTH)), desired(git(WEB, WEB1), git(API, API1)), none,
                        List.of("api KEEP apps/api.yaml", "web HOLD apps/web.yaml GitSynced=False/ManifestError +Warning/ManifestError"),
                        List.of("api apps/api.yaml @0 api:v1", "web apps/web.yaml @0 web:v1 held"), "ManifestErrors", List.of(BROKEN)),
                new Case("an app another repository defines is refused as a file error", RepoRecord.EMPTY,
                        contents(List.of(at(WEB, WEB1), at(DB, DB1))), desired(new DesiredApp(WEB2, Source.git("file:///srv/git/more.git", REV0, "web.yaml"), 3, NOW, NOW)),
                        Map.of("web", OTHER), List.of("db CREATE apps/db.yaml GitSynced=True/Synced +Normal/GitSynced", "web CONFLICT apps/web.yaml"),
                        List.of("db apps/db.yaml @1 db:v1"), "ManifestErrors", List.of(CONFLICT)),
                new Case("a conflict holds the siblings in its file", record(NONE, was(WEB, API1)),
                        contents(List.of(at(WEB, WEB1), at(WEB, API1))), desired(git(WEB, API1)), Map.of("web", OTHER),
                        List.of("api HOLD apps/web.yaml GitSynced=False/ManifestError +Warning/ManifestError", "web CONFLICT apps/web.yaml"),
                        List.of("api apps/web.yaml @0 api:v1 held"), "ManifestErrors", List.of(CONFLICT)),
                new Case("a lost record rebuilds itself: an app already as git says is kept", RepoRecord.EMPTY, contents(List.of(at(WEB, WEB1))),
                        desired(git(WEB, WEB1)), none, List.of("web KEEP apps/web.yaml"), List.of("web apps/web.yaml @0 web:v1"), "Synced", List.of()),
                new Case("an app applied by hand before git defined it is taken over by git", RepoRecord.EMPTY, contents(List.of(at(WEB, WEB1))),
                        desired(byHand(HOTFIX)), none, List.of("web UPDATE apps/web.yaml GitSynced=True/Synced +Normal/GitSynced"),
                        List.of("web apps/web.yaml @1 web:v1"), "Synced", List.of()),
                new Case("a rolled-back app stays pinned across a commit that changes only another app", pinned(prevWebApi, "web", ROLLED_BACK),
                        contents(List.of(at(WEB, WEB1), at(API, API2))), desired(git(WEB, OLD_WEB), git(API, API1)), none,
                        List.of("api UPDATE apps/api.yaml GitSynced=True/Synced +Normal/GitSynced", "web KEEP apps/web.yaml"),
                        List.of("api apps/api.yaml @1 api:v2", "web apps/web.yaml @0 web:v1 pinned:RolledBack"), "Synced", List.of()),
                new Case("a commit that changes the pinned app ends the pin", pinned(prevWebApi, "web", ROLLED_BACK),
                        contents(List.of(at(WEB, WEB2), at(API, API1))), desired(git(WEB, OLD_WEB), git(API, API1)), none,
                        List.of("api KEEP apps/api.yaml", "web UPDATE apps/web.yaml GitSynced=True/Synced +Normal/GitSynced"),
                        List.of("api apps/api.yaml @0 api:v1", "web apps/web.yaml @1 web:v2"), "Synced", List.of()),
                new Case("a pin outlives a broken file and stays until the fix changes the app", pinned(prevWeb, "web", ROLLED_BACK),
                        contents(List.of(at(WEB, WEB2)), error(WEB)), desired(git(WEB, OLD_WEB)), none,
                        List.of("web HOLD apps/web.yaml GitSynced=False/ManifestError +Warning/ManifestError"),
                        List.of("web apps/web.yaml @0 web:v1 held pinned:RolledBack"), "ManifestErrors",
                        List.of("apps/web.yaml:8:5: spec.route.colour: unknown field \"colour\"")),
                new Case("an app deleted by hand (forced) stays deleted across a commit that does not change it", pinned(prevWebApi, "web", DELETED),
                        contents(List.of(at(WEB, WEB1), at(API, API2))), desired(git(API, API1)), none,
                        List.of("api UPDATE apps/api.yaml GitSynced=True/Synced +Normal/GitSynced", "web KEEP apps/web.yaml"),
                        List.of("api apps/api.yaml @1 api:v2", "web apps/web.yaml @0 web:v1 pinned:DeletedByHand"), "Synced", List.of()),
                new Case("a commit that changes an app deleted by hand creates it again", pinned(prevWeb, "web", DELETED),
                        contents(List.of(at(WEB, WEB2))), desired(), none,
                        List.of("web CREATE apps/web.yaml GitSynced=True/Synced +Normal/GitSynced"), List.of("web apps/web.yaml @1 web:v2"), "Synced", List.of()),
                new Case("a recorded app whose desired state is gone is created again", prevWeb, contents(List.of(at(WEB, WEB1))), desired(), none,
                        List.of("web CREATE apps/web.yaml GitSynced=True/Synced +Normal/GitSynced"), List.of("web apps/web.yaml @1 web:v1"), "Synced", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void plans(Case c) {
        SyncPlan plan = SyncPlanner.plan(c.previous(), c.contents(), c.desired(), c.elsewhere(), REPO, COMMIT, NOW);

        assertThat(plan.steps()).extracting(SyncPlannerTest::render).containsExactlyElementsOf(c.steps());
        assertThat(render(plan.next())).containsExactlyElementsOf(c.next());
        assertThat(plan.next().commit()).isEqualTo(C1);
        assertThat(plan.reason()).isEqualTo(c.reason());
        assertThat(plan.ready()).isEqualTo(!c.reason().equals("ManifestErrors"));
        assertThat(plan.errors()).containsExactlyElementsOf(c.errors());
        assertThat(plan.steps()).allSatisfy(s -> assertThat(s.deployment() != null).as(s.app()).isEqualTo(s.action() == Action.CREATE || s.action() == Action.UPDATE));
        assertThat(SyncPlanner.plan(c.previous(), c.contents(), c.desired(), c.elsewhere(), REPO, COMMIT, NOW)).as("pure").isEqualTo(plan);
    }

    @Test
    void anAppWhoseRoutePortOrchKnowsAnOwnerOfIsHeldOrNotCreated() {
        String taken = "spec.route.port: port 9464 is orchd's metrics and health listener (quarkus.management.port); choose another port";
        var prev = record(NONE, was(WEB, WEB1));
        SyncPlan plan = SyncPlanner.plan(prev, contents(List.of(at(WEB, WEB2), at(DB, DB1))), desired(git(WEB, WEB1)), Map.of(),
                Map.of("web", List.of(taken), "db", List.of(taken)), REPO, COMMIT, NOW);
        Map<String, Step> steps = new LinkedHashMap<>();
        plan.steps().forEach(s -> steps.put(s.app(), s));
        assertThat(steps.get("web").action()).as("the running app keeps its last good revision").isEqualTo(Action.HOLD);
        assertThat(steps.get("web").condition().message())
                .isEqualTo("commit 111111111111: " + WEB + ":1:1: " + taken + "; still running " + REV0 + " (the last good revision)");
        assertThat(steps.get("db").action()).as("a new app is not created").isEqualTo(Action.BLOCKED);
        assertThat(plan.errors()).contains(WEB + ":1:1: " + taken, DB + ":1:1: " + taken);
        assertThat(plan.ready()).isFalse();
    }

    @Test
    void anAppThisHostNoLongerTakesIsDeletedWithWhyEvenWhenNothingElseIsPlacedHere() {
        var prev = record(NONE, was(WEB, WEB1));
        String why = "nodeSelector environment=prod does not match: this host has environment=staging";
        SyncPlan plan = SyncPlanner.plan(prev, new Contents(true, new LoadResult(List.of(), List.of()), Map.of("web", why)),
                desired(git(WEB, WEB1)), Map.of(), REPO, COMMIT, NOW);
        // the prune guard spares only a directory that holds no manifest at all, not one whose apps run elsewhere
        assertThat(plan.steps()).containsExactly(new Step("web", Action.DELETE, null, WEB, null, null,
                Map.of("repository", URL, "revision", REV1, "path", WEB, "notPlaced", why)));
        assertThat(plan.reason()).isEqualTo("Synced");
        assertThat(plan.next().apps()).isEmpty();
    }

    @Test
    void theCommitThatEndsAPinSaysSoInItsEvent() {
        SyncPlan plan = SyncPlanner.plan(pinned(record(NONE, was(WEB, WEB1)), "web", ROLLED_BACK), contents(List.of(at(WEB, WEB2))),
                desired(git(WEB, OLD_WEB)), Map.of(), REPO, COMMIT, NOW);
        assertThat(plan.steps()).singleElement().satisfies(s -> assertThat(s.event().message())
                .isEqualTo("updated from apps " + REV1 + " apps/web.yaml; this commit changes web, so the pin (RolledBack by user root) ended"));
        assertThat(plan.result("apps").changed()).containsExactly("web");
        assertThat(plan.next().pins()).isEmpty();
    }

    @Test
    void putsAndDeletesCarryTheSourceTheAuditAndTheMessages() {
        var prev = record(NONE, was(WEB, WEB1), was(API, API1));
        SyncPlan plan = SyncPlanner.plan(prev, contents(List.of(at(WEB, WEB2), at(DB, DB1))), desired(git(WEB, WEB1), git(API, API1)), Map.of(),
                REPO, COMMIT, NOW);

        assertThat(plan.revision()).isEqualTo(REV1);
        assertThat(plan.actor()).isEqualTo(Actor.git("111111111111 Dev Eloper <dev@example.com>"));
        Map<String, Step> steps = new LinkedHashMap<>();
        plan.steps().forEach(s -> steps.put(s.app(), s));
        assertThat(steps.get("web")).isEqualTo(new Step("web", Action.UPDATE, WEB2, WEB,
                new Condition("GitSynced", ConditionStatus.TRUE, "Synced", "apps " + REV1 + " apps/web.yaml (changed)", NOW),
                new AppEvent(NOW, EventType.NORMAL, "GitSynced", "updated from apps " + REV1 + " apps/web.yaml"),
                Map.of("repository", URL, "revision", REV1, "path", WEB)));
        assertThat(steps.get("db").condition().message()).isEqualTo("apps " + REV1 + " apps/db.yaml (created)");
        assertThat(steps.get("db").event().message()).isEqualTo("created from apps " + REV1 + " apps/db.yaml");
        assertThat(steps.get("api")).isEqualTo(new Step("api", Action.DELETE, null, API, null, null,
                Map.of("repository", URL, "revision", REV1, "path", API)));
        assertThat(plan.message()).isEqualTo("at " + REV1);
        assertThat(plan.result("apps")).isEqualTo(new SyncResult("apps", SyncResult.SYNCED, REV1, List.of("db"), List.of("web"), List.of("api"),
                List.of(), List.of(), null));
    }

    @Test
    void aHeldAppSaysWhichCommitAndErrorsAndWhatStillRuns() {
        var prev = record(NONE, was(BOTH, WEB1), was(BOTH, API1));
        SyncPlan plan = SyncPlanner.plan(prev, contents(List.of(at(BOTH, API1)), error(BOTH), new ManifestError(BOTH, 20, 3, "", "second")),
                desired(git(BOTH, WEB1), git(BOTH, API1)), Map.of(), REPO, COMMIT, NOW);

        String msg = "commit 111111111111: " + BROKEN + "; apps/both.yaml:20:3: second; still running " + REV0 + " (the last good revision)";
        assertThat(plan.steps()).extracting(Step::condition).containsOnly(new Condition("GitSynced", ConditionStatus.FALSE, "ManifestError", msg, NOW));
        assertThat(plan.steps()).extracting(Step::event).containsOnly(new AppEvent(NOW, EventType.WARNING, "ManifestError", msg));
        assertThat(plan.steps()).allSatisfy(s -> assertThat(s.audit()).isEmpty());
        assertThat(plan.message()).isEqualTo("at " + REV1 + "; 1 file(s) with errors: apps/both.yaml");
        assertThat(plan.result("apps").failed()).containsExactly("api", "web");
        assertThat(plan.result("apps").failedAnything()).isTrue();
    }

    @Test
    void theFixOfAnOverriddenAppRepeatsTheOverrideMessage() {
        SyncPlan plan = SyncPlanner.plan(record(Set.of("web"), was(WEB, WEB1)), contents(List.of(at(WEB, WEB1))), desired(byHand(HOTFIX)), Map.of(),
                REPO, COMMIT, NOW);

        assertThat(plan.steps().get(0).condition().message()).isEqualTo("applied by hand over git repository apps (" + URL
                + ") apps/web.yaml; the next commit that changes this app replaces it");
        assertThat(plan.steps().get(0).event()).isNull();
    }

    @Test
    void theFixedFileConditionNamesTheCommit() {
        SyncPlan plan = SyncPlanner.plan(record(Set.of("web"), was(WEB, WEB1)), contents(List.of(at(WEB, WEB1))), desired(git(WEB, WEB1)), Map.of(),
                REPO, COMMIT, NOW);

        assertThat(plan.steps().get(0).condition().message()).isEqualTo("apps " + REV0 + " apps/web.yaml (file fixed in 111111111111)");
        assertThat(plan.next().held()).isEmpty();
    }
}
