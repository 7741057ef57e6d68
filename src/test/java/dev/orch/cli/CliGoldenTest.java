package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.api.AppStatus;
import dev.orch.api.AppSummary;
import dev.orch.api.DiffResource;
import dev.orch.api.EventItem;
import dev.orch.manifest.Deployment;
import dev.orch.manifest.LoadResult;
import dev.orch.manifest.ManifestLoader;
import dev.orch.state.ActualState;
import dev.orch.state.AppEvent;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.Condition;
import dev.orch.state.ConditionStatus;
import dev.orch.state.DesiredApp;
import dev.orch.state.EventType;
import dev.orch.state.Revision;
import dev.orch.state.Rollout;
import dev.orch.state.RolloutPhase;
import dev.orch.state.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI's tables and texts against whole expected files under {@code src/test/resources/cli-golden/} (fixed
 * clock, fixed state). Regenerate after an intended change with {@code -Dcli.golden.update=true} and review the diff.
 */
class CliGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/cli-golden");
    static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    static final Instant CREATED = Instant.parse("2025-02-27T09:30:00Z");

    static Deployment manifest(String name, int port, String version) {
        LoadResult r = new ManifestLoader().loadString(name + ".yaml", """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: %s
                spec:
                  route:
                    port: %d
                  template:
                    command: ["/usr/bin/python3"]
                    args: ["/srv/app.py", "--port", "$(PORT)"]
                    env:
                      - name: VERSION
                        value: "%s"
                """.formatted(name, port, version));
        assertThat(r.errors()).isEmpty();
        return r.manifests().get(0).deployment();
    }

    static ActualState webActual() {
        return ActualState.EMPTY
                .withColor(Color.BLUE, new ColorState(1, "0a1b2c3d4e", List.of(20000), List.of("orch-web-blue-0.service"), CREATED))
                .withColor(Color.GREEN, new ColorState(2, "5f6a7b8c9d", List.of(20001), List.of("orch-web-green-0.service"),
                        Instant.parse("2025-03-01T11:50:00Z")))
                .withLive(Color.GREEN)
                .withRollout(new Rollout(RolloutPhase.COMPLETE, 2, "5f6a7b8c9d", Color.GREEN, Instant.parse("2025-03-01T11:51:00Z"), null, false))
                .withCondition(new Condition("Available", ConditionStatus.TRUE, "LiveColorReady", "green serves revision 2",
                        Instant.parse("2025-03-01T11:51:00Z")))
                .withCondition(new Condition("Progressing", ConditionStatus.FALSE, "NewRevisionAvailable", "revision 2 is live in green",
                        Instant.parse("2025-03-01T11:51:00Z")))
                .withObservedGeneration(2)
                .withEvent(Instant.parse("2025-03-01T11:50:00Z"), EventType.NORMAL, "RolloutStarted", "rolling out revision 2 to green")
                .withEvent(Instant.parse("2025-03-01T11:51:00Z"), EventType.NORMAL, "Switched", "route now sends traffic to green");
    }

    static List<AppSummary> summaries() {
        return List.of(
                new AppSummary("web", "green", 2, "1/1", "Available", CREATED, "5f6a7b8c9d", "0.0.0.0:8080/http", "apply"),
                new AppSummary("billing-api", null, 0, "0/2", "Progressing", Instant.parse("2025-03-01T11:59:15Z"), null,
                        "127.0.0.1:9090/tcp", "git"));
    }

    @Test
    void getApps() throws IOException {
        golden("get-apps.txt", AppTable.render(summaries(), NOW));
    }

    @Test
    void getAppsWide() throws IOException {
        golden("get-apps-wide.txt", AppTable.render(summaries(), NOW, true));
    }

    @Test
    void getAppsWatchRowKeepsTheColumns() throws IOException {
        String table = AppTable.render(summaries(), NOW);
        int[] widths = java.util.Arrays.stream(table.split("\n")[0].split("(?<=\\s)(?=\\S)")).mapToInt(String::length).toArray();
        AppSummary changed = new AppSummary("billing-api", "blue", 1, "2/2", "Available", Instant.parse("2025-03-01T11:59:15Z"));
        golden("get-apps-watch.txt", table + Tables.pad(AppTable.row(changed, NOW, false), widths) + "\n");
    }

    @Test
    void describeApp() throws IOException {
        Deployment v2 = manifest("web", 8080, "v2");
        DesiredApp d = new DesiredApp(v2, Source.APPLY, 2, CREATED, Instant.parse("2025-03-01T11:50:00Z"));
        ActualState a = webActual();
        List<Revision> revs = List.of(
                new Revision(1, "0a1b2c3d4e", manifest("web", 8080, "v1"), Source.APPLY, CREATED),
                new Revision(2, "5f6a7b8c9d", v2, Source.APPLY, Instant.parse("2025-03-01T11:50:00Z")));
        AppStatus s = new AppStatus(
                new AppSummary("web", "green", 2, "1/1", "Available", CREATED, "5f6a7b8c9d", "0.0.0.0:8080/http", "apply"), d, a, List.of());
        golden("describe-app.txt", AppDescription.render(s, revs, NOW));
    }

    /** {@code get app web -o yaml}: the manifest as applied plus status, and apply reads it back to the same manifest. */
    @Test
    void getAppYamlAndJsonAreManifestsPlusStatusThatLoadBack() throws IOException {
        Deployment v2 = manifest("web", 8080, "v2");
        DesiredApp d = new DesiredApp(v2, Source.APPLY, 2, CREATED, Instant.parse("2025-03-01T11:50:00Z"));
        AppStatus s = new AppStatus(new AppSummary("web", "green", 2, "1/1", "Available", CREATED, "5f6a7b8c9d", "0.0.0.0:8080/http", "apply"),
                d, webActual(), List.of(new dev.orch.api.ColorStatus("green", 2, 1, 1, 1, true, "")));
        String yaml = AppObjects.yaml(List.of(s));
        golden("get-app-yaml.txt", yaml);
        String json = AppObjects.json(List.of(s), true);
        golden("get-app-json.txt", json);
        for (String[] out : new String[][] {{"web.yaml", yaml}, {"web.json", json}}) {
            LoadResult back = new ManifestLoader().loadString(out[0], out[1]);
            assertThat(back.errors()).as(out[0]).isEmpty();
            assertThat(back.manifests()).as(out[0]).singleElement().satisfies(m -> assertThat(m.deployment()).isEqualTo(v2));
        }
        String list = AppObjects.json(List.of(s, s), false);
        assertThat(ApiClient.JSON.readTree(list).get("kind").asText()).isEqualTo("List");
        assertThat(ApiClient.JSON.readTree(list).get("items").size()).isEqualTo(2);
    }

    @Test
    void describeNewApp() throws IOException {
        DesiredApp d = new DesiredApp(manifest("web", 8080, "v1"), Source.APPLY, 1, NOW, NOW);
        AppStatus s = new AppStatus(new AppSummary("web", null, 0, "0/1", "Pending", NOW), d, ActualState.EMPTY, List.of());
        golden("describe-new-app.txt", AppDescription.render(s, List.of(), NOW));
    }

    @Test
    void events() throws IOException {
        List<EventItem> items = webActual().events().stream()
                .map((AppEvent e) -> new EventItem("web", e.time(), e.type().wire(), e.reason(), e.message())).toList();
        golden("events.txt", EventsCommand.render(items, NOW));
    }

    @Test
    void diffOfAChangedTemplateAndRoute() throws IOException {
        DesiredApp d = new DesiredApp(manifest("web", 8080, "v2"), Source.APPLY, 2, CREATED, CREATED);
        golden("diff.txt", DiffCommand.render(List.of(
                DiffResource.of(manifest("web", 8081, "v3"), d, webActual(), webRunning(false)),
                DiffResource.of(manifest("web", 8080, "v2"), d, webActual(), webRunning(false)),
                DiffResource.of(manifest("api", 9000, "v1"), null, ActualState.EMPTY, java.util.Map.of()))));
    }

    /** web: blue runs revision 1 (v1), green revision 2 (v2) and is live. */
    static java.util.Map<Color, DiffResource.Running> webRunning(boolean blueWarm) {
        return java.util.Map.of(
                Color.BLUE, new DiffResource.Running(new Revision(1, "0a1b2c3d4e", manifest("web", 8080, "v1"), Source.APPLY, CREATED), blueWarm),
                Color.GREEN, new DiffResource.Running(new Revision(2, "5f6a7b8c9d", manifest("web", 8080, "v2"), Source.APPLY, CREATED), true));
    }

    /**
     * diff compares with what runs: after v3 failed to roll out (desired holds v3, green still runs v2), applying v2
     * again changes nothing that runs; v1 is the warm idle color's, an instant switch.
     */
    @Test
    void diffComparesWithWhatRunsNotWithTheStoredDesiredState() {
        DesiredApp failed = new DesiredApp(manifest("web", 8080, "v3"), Source.APPLY, 3, CREATED, CREATED);
        ActualState a = webActual().withObservedGeneration(3)
                .withRollout(new Rollout(RolloutPhase.ABORTED, 3, "9e8d7c6b5a", Color.BLUE, NOW, null, false));
        assertThat(DiffResource.of(manifest("web", 8080, "v2"), failed, a, webRunning(false)).result()).isEqualTo("unchanged");
        var v3 = DiffResource.of(manifest("web", 8080, "v3"), failed, a, webRunning(false));
        assertThat(v3.result()).isEqualTo("configured");
        assertThat(v3.diff()).contains("-      value: \"v2\"\n+      value: \"v3\"\n");
        assertThat(v3.effects()).containsExactly("new revision: start 1 unit(s) orch-web-blue-0 in the idle color blue,"
                + " switch the route when ready, then drain green");
        // the failed manifest also changed fields that only steer rollouts: they change nothing that runs either
        Deployment v3m = manifest("web", 8080, "v3");
        Deployment v3Hasty = new Deployment(v3m.apiVersion(), v3m.kind(),
                new dev.orch.manifest.ObjectMeta("web", java.util.Map.of(), java.util.Map.of("note", "hasty")),
                new dev.orch.manifest.DeploymentSpec(v3m.spec().replicas(), v3m.spec().route(), v3m.spec().template(), v3m.spec().strategy(), 3, 2));
        DesiredApp failedHasty = new DesiredApp(v3Hasty, Source.APPLY, 3, CREATED, CREATED);
        assertThat(DiffResource.of(manifest("web", 8080, "v2"), failedHasty, a, webRunning(false)).result()).isEqualTo("unchanged");
        assertThat(DiffResource.of(v3Hasty, failedHasty, a, webRunning(false)).diff()).doesNotContain("progressDeadlineSeconds").contains("+      value: \"v3\"");
        var v1 = DiffResource.of(manifest("web", 8080, "v1"), failed, a, webRunning(true));
        assertThat(v1.effects()).containsExactly("the idle color blue still runs this template warm (revision 1): switch the route to it at once");
    }

    static void golden(String file, String actual) throws IOException {
        Path f = GOLDEN.resolve(file);
        if (Boolean.getBoolean("cli.golden.update")) {
            Files.writeString(f, actual);
        }
        assertThat(f).as("golden file %s (regenerate with -Dcli.golden.update=true)", f).exists();
        assertThat(actual).isEqualTo(Files.readString(f));
    }
}
