package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.WebApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every orchctl verb against a running orchd (process driver), as a user types them. Table output is compared
 * with golden text under {@code src/test/resources/cli-golden/it-*.txt} after masking what varies per run
 * (ages, hashes, ports, times, the scratch dir).
 */
class CliVerbsIT {
    @TempDir
    Path dir;

    @Test
    void everyVerb() throws Exception {
        WebApp web = new WebApp(dir);
        Path v1 = web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60);
        Path v2 = web.manifest("v2", WebApp.READY_ON_HEALTHZ, 60);
        try (ProcessDaemon orchd = ProcessDaemon.start(dir)) {
            assertThat(orchd.ok("version")).containsPattern("Client Version: \\S+\\nServer Version: \\S+");
            assertThat(orchd.ok("apply", "-f", v1.toString(), "--dry-run=server")).isEqualTo("deployment.orch.dev/web created (server dry run)\n");
            assertThat(orchd.ok("apply", "-f", v1.toString())).isEqualTo("deployment.orch.dev/web created\n");
            assertThat(orchd.ok("rollout", "status", "web", "--timeout", "90s")).contains("successfully rolled out: revision 1 is live in blue");
            assertThat(orchd.ok("apply", "-f", v1.toString())).isEqualTo("deployment.orch.dev/web unchanged\n");

            golden("it-get-apps.txt", orchd.ok("get", "apps"));
            golden("it-get-apps-wide.txt", orchd.ok("get", "apps", "-o", "wide"));
            assertThat(orchd.ok("get", "app", "web", "-o", "json")).contains("\"name\" : \"web\"").contains("\"live\" : \"blue\"");
            assertThat(orchd.ok("get", "app", "web", "-o", "yaml")).contains("name: web");
            golden("it-describe-v1.txt", orchd.ok("describe", "app", "web"));

            OrchDist.Result diff = orchd.orchctl("diff", "-f", v2.toString());
            assertThat(diff.exitCode()).as("diff: %s", diff).isEqualTo(1);
            assertThat(diff.stdout()).contains("-      value: \"v1\"\n+      value: \"v2\"\n")
                    .contains("# web: new revision: start 1 unit(s) orch-web-green-0 in the idle color green");
            assertThat(orchd.orchctl("diff", "-f", v1.toString()).exitCode()).isZero();

            assertThat(orchd.ok("apply", "-f", v2.toString())).isEqualTo("deployment.orch.dev/web configured\n");
            orchd.ok("rollout", "status", "web", "--timeout", "90s");
            golden("it-history.txt", orchd.ok("rollout", "history", "web"));
            golden("it-events.txt", orchd.ok("events", "--app", "web"));
            assertThat(orchd.ok("events", "--since", "1h")).contains("app/web");

            String logs = orchd.ok("logs", "web");
            assertThat(logs.lines()).allMatch(l -> l.startsWith("[blue] ") || l.startsWith("[green] "));
            assertThat(orchd.ok("logs", "web", "--color", "green").lines()).allMatch(l -> l.startsWith("[green] "));

            assertThat(orchd.ok("rollout", "restart", "web")).isEqualTo("deployment.orch.dev/web restarted\n");
            assertThat(orchd.ok("rollout", "status", "web", "--timeout", "90s")).contains("revision 3 is live in blue");
            assertThat(orchd.ok("get", "app", "web", "-o", "yaml")).contains("ORCH_RESTARTED_AT").contains("orch.dev/restartedAt");

            assertThat(orchd.ok("switch", "web")).startsWith("deployment.orch.dev/web switched (switch to revision 2)");
            orchd.ok("rollout", "status", "web", "--timeout", "90s");
            assertThat(orchd.ok("get", "app", "web")).contains("green");
            assertThat(orchd.ok("rollout", "undo", "web", "--to-revision", "1")).contains("rolled back (undo to revision 1)");
            orchd.ok("rollout", "status", "web", "--timeout", "90s");

            // -w prints the table, then a row per change: watch while a restart rolls out
            Process watch = orchd.orchctlProcess("get", "apps", "-w").redirectErrorStream(true).start();
            List<String> seen = new ArrayList<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try (var r = new java.io.BufferedReader(new java.io.InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        synchronized (seen) {
                            seen.add(l);
                        }
                    }
                } catch (IOException ignored) {
                    // process killed
                }
            });
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> snapshot(seen).size() >= 2);
                orchd.ok("rollout", "restart", "web");
                await().atMost(Duration.ofSeconds(90)).until(() -> snapshot(seen).stream().anyMatch(l -> l.contains("Progressing")));
                await().atMost(Duration.ofSeconds(90)).until(() -> snapshot(seen).getLast().contains("Available"));
            } finally {
                watch.destroy();
                watch.waitFor();
                reader.join();
            }
            assertThat(snapshot(seen).getFirst()).startsWith("NAME ");

            assertThat(orchd.ok("completion", "bash")).contains("complete -F").contains("rollout");
            assertThat(orchd.ok("completion", "zsh")).startsWith("autoload -U +X compinit");
            assertThat(orchd.orchctl("completion", "fish").exitCode()).isEqualTo(2);
            assertThat(orchd.orchctl("get", "pods").exitCode()).isEqualTo(2);
            OrchDist.Result missing = orchd.orchctl("describe", "app", "nope");
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.stderr()).isEqualTo("error: orchd answered 404: app \"nope\" not found\n");

            // a rollout that cannot start (its artifact is missing) fails at once instead of waiting for the timeout
            Path gone = dir.resolve("missing.py");
            Path lost = dir.resolve("lost.yaml");
            Files.writeString(lost, Files.readString(v1).replace("name: web", "name: lost")
                    .replace(web.hello().toString(), gone.toString()).replace("port: " + web.port(), "port: " + OrchdOnSystemd.freePort()));
            assertThat(orchd.ok("apply", "-f", lost.toString())).isEqualTo("deployment.orch.dev/lost created\n");
            OrchDist.Result blocked = orchd.orchctl("rollout", "status", "lost", "--timeout", "60s");
            assertThat(blocked.exitCode()).as("%s", blocked).isEqualTo(1);
            assertThat(blocked.stderr()).contains("error: rollout of \"lost\" is blocked: artifact " + gone);
            assertThat(orchd.ok("delete", "app", "lost")).isEqualTo("deployment.orch.dev/lost deleted\n");

            assertThat(orchd.ok("delete", "app", "web")).isEqualTo("deployment.orch.dev/web deleted\n");
            await().atMost(Duration.ofSeconds(60)).until(() -> orchd.orchctl("get", "apps").stderr().contains("No resources found."));
        }
    }

    private static List<String> snapshot(List<String> seen) {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** Masks what differs per run, then compares with (or, with -Dcli.golden.update=true, writes) the golden file. */
    private void golden(String file, String actual) throws IOException {
        String masked = actual
                .replace(dir.toString(), "<dir>")
                .replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "<time>")
                .replaceAll("\\b[0-9a-f]{10}\\b", "<hash>")
                .replaceAll("\\b\\d+[smhd]\\b( ago)?", "<age>$1")
                .replaceAll(":\\d{4,5}\\b", ":<port>")
                .replaceAll("\\b2\\d{4}\\b", "<port>");
        // masking changes widths: squeeze runs of spaces so alignment differences from masked cells do not count
        masked = masked.replaceAll(" {2,}", "  ");
        CliGoldenTest.golden(file, masked);
    }
}
