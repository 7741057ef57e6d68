package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.LogsFollow;
import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.SystemdNamespace;
import dev.orch.testing.WebApp;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Artifact uploads, manual promotion, liveness restarts and delete, on real systemd. */
class RolloutFeaturesIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();

    OrchdOnSystemd orch;
    WebApp web;

    @BeforeEach
    void start() throws IOException {
        orch = new OrchdOnSystemd(SYSTEMD);
        web = new WebApp(orch.dir());
        orch.start();
    }

    @AfterEach
    void stop() throws Exception {
        orch.orchctl("delete", "app", "web");
        orch.close();
    }

    void applyAndWait(Path f) {
        assertThat(orch.orchctl("apply", "-f", f.toString()).exitCode()).isZero();
        OrchDist.Result status = orch.orchctl("rollout", "status", "web", "--timeout", "90s");
        assertThat(status.exitCode()).as("%s%n%s", status, orch.logs()).isZero();
    }

    /** The argv part of systemd's ExecStart property (the rest is runtime state). */
    String execStart(String unit) {
        String p = orch.unitProperty(unit, "ExecStart");
        int i = p.indexOf("argv[]=");
        return p.substring(i, p.indexOf(" ;", i));
    }

    @Test
    void aNewFileAtTheArtifactPathRollsOutAndTheLiveColorKeepsItsOwnCopy() throws Exception {
        applyAndWait(web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60));
        String blueArgs = execStart("orch-web-blue-0.service");
        assertThat(blueArgs).contains(orch.stateDir().resolve("artifacts/sha256").toString());

        // "upload a release": same path, new content; no manifest change
        Files.writeString(web.hello(), Files.readString(web.hello()) + "\n# release 2\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> web.get().contains("\"color\": \"green\""));
        assertThat(orch.orchctl("rollout", "history", "web").stdout()).contains("\n2 ");
        String greenArgs = execStart("orch-web-green-0.service");
        assertThat(greenArgs).contains(orch.stateDir().resolve("artifacts/sha256").toString()).isNotEqualTo(blueArgs);
        assertThat(execStart("orch-web-blue-0.service")).as("the old color still runs its own copy").isEqualTo(blueArgs);
        assertThat(orch.unitProperty("orch-web-blue-0.service", "ActiveState")).as("kept warm").isEqualTo("active");
    }

    @Test
    void logsComeFromTheJournalOfBothColorsPrefixed() throws Exception {
        applyAndWait(web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60));
        applyAndWait(web.manifest("v2", WebApp.READY_ON_HEALTHZ, 60));
        web.get();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            OrchDist.Result logs = orch.orchctl("logs", "web");
            assertThat(logs.exitCode()).as("%s", logs).isZero();
            assertThat(logs.stdout()).contains("[blue] ").contains("hello v1 (blue) listening")
                    .contains("[green] ").contains("hello v2 (green) listening").contains("\"GET / HTTP/1.1\" 200");
        });
        OrchDist.Result green = orch.orchctl("logs", "web", "--color", "green");
        assertThat(green.stdout()).contains("hello v2 (green)").doesNotContain("[blue]");

        // one journal query over both colors: the journal orders the lines by time (blue started first)
        String all = orch.orchctl("logs", "web").stdout();
        assertThat(all.indexOf("[blue] hello v1 (blue) listening")).isNotNegative().isLessThan(all.indexOf("[green] hello v2 (green) listening"));
        assertThat(orch.orchctl("logs", "web", "--timestamps").stdout().lines().map(l -> java.time.Instant.parse(l.split(" ")[1])).toList())
                .hasSizeGreaterThan(2).isSorted();
        assertThat(orch.orchctl("logs", "web", "--tail", "1").stdout().lines()).singleElement().asString().startsWith("[");
        assertThat(orch.orchctl("logs", "web", "--tail", "0").stdout()).isEmpty();
        assertThat(orch.orchctl("logs", "web", "--since", "1h", "--timestamps", "--color", "blue").stdout().lines())
                .anySatisfy(l -> assertThat(l).matches("\\[blue] \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z hello v1 \\(blue\\) listening.*"));
        LogsFollow.assertFollows(orch.dist(), web, "journal");
    }

    @Test
    void manualPromotionWaitsForRolloutPromote() throws Exception {
        applyAndWait(web.manifest("v1", "", false)); // a first deploy is not held
        assertThat(orch.orchctl("apply", "-f", web.manifest("v2", "", false).toString()).exitCode()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> orch.orchctl("get", "app", "web", "-o", "yaml").stdout().contains("reason: AwaitingPromotion"));
        Thread.sleep(2_000);
        assertThat(web.get()).as("not switched before promotion").contains("\"version\": \"v1\"");
        assertThat(orch.orchctl("rollout", "promote", "web").exitCode()).isZero();
        assertThat(orch.orchctl("rollout", "status", "web", "--timeout", "60s").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> web.get().contains("\"version\": \"v2\""));
    }

    @Test
    void aFailingLivenessProbeRestartsTheUnit() throws Exception {
        Path alive = orch.dir().resolve("alive");
        Files.writeString(alive, "yes");
        String liveness = """
                    livenessProbe:
                      exec:
                        command: ["/usr/bin/test", "-e", "%s"]
                      periodSeconds: 1
                      failureThreshold: 2
                """.formatted(alive);
        applyAndWait(web.manifest("v1", liveness, true));
        String pid = orch.unitProperty("orch-web-blue-0.service", "MainPID");
        Files.delete(alive);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String now = orch.unitProperty("orch-web-blue-0.service", "MainPID");
            return !now.equals(pid) && !now.equals("0");
        });
        Files.writeString(alive, "yes");
        await().atMost(Duration.ofSeconds(10)).until(() -> orch.orchctl("get", "app", "web", "-o", "yaml").stdout().contains("reason: LivenessFailed"));
    }

    @Test
    void deleteClosesTheRouteRemovesTheUnitsAndArchivesTheState() throws Exception {
        applyAndWait(web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60));
        assertThat(orch.orchctl("delete", "app", "web").stdout()).contains("deployment.orch.dev/web deleted");
        await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(orch.stateDir().resolve("apps/web")));
        assertThat(SYSTEMD.path("/run/systemd/system/orch-web-blue-0.service")).doesNotExist();
        assertThat(orch.unitProperty("orch-web-blue-0.service", "LoadState")).isEqualTo("not-found");
        try (var files = Files.list(orch.stateDir().resolve("archive"))) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("web-"));
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try {
                web.get();
                throw new AssertionError("route still answers");
            } catch (ConnectException expected) {
                // closed
            }
        });
        OrchDist.Result get = orch.orchctl("get", "app", "web");
        assertThat(get.exitCode()).isEqualTo(1);
        assertThat(get.stderr()).contains("app \"web\" not found");
    }
}
