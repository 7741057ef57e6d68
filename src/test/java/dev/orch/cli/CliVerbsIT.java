package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.LogsFollow;
import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.WebApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        Path v1 = labelled(web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60));
        Path v2 = labelled(web.manifest("v2", WebApp.READY_ON_HEALTHZ, 60));
        try (ProcessDaemon orchd = ProcessDaemon.start(dir)) {
            // the packaged launcher: every command of the tree prints its usage on --help and exits 0
            for (List<String> path : ClientFaceTest.commandPaths()) {
                List<String> args = new ArrayList<>(path);
                args.add("--help");
                OrchDist.Result help = orchd.orchctl(args.toArray(String[]::new));
                assertThat(help.exitCode()).as("orchctl %s: %s", args, help).isZero();
                assertThat(help.stdout()).startsWith("Usage: " + String.join(" ", concat(new String[] {"orchctl"}, path.toArray(String[]::new), new String[0])) + " ");
            }
            assertThat(orchd.ok("logs", "-h")).startsWith("Usage: orchctl logs ");
            assertThat(orchd.ok("help", "rollout", "status")).startsWith("Usage: orchctl rollout status ");
            assertThat(orchd.ok("version")).containsPattern("Client Version: \\S+\\nServer Version: \\S+");
            assertThat(orchd.ok("apply", "-f", v1.toString(), "--dry-run=server")).isEqualTo("deployment.orch.dev/web created (server dry run)\n");
            assertThat(orchd.ok("apply", "-f", v1.toString())).isEqualTo("deployment.orch.dev/web created\n");
            assertThat(orchd.ok("rollout", "status", "web", "--timeout", "90s")).contains("successfully rolled out: revision 1 is live in blue");
            assertThat(orchd.ok("apply", "-f", v1.toString())).isEqualTo("deployment.orch.dev/web unchanged\n");

            golden("it-get-apps.txt", orchd.ok("get", "apps"));
            // kubectl's ways to name it: all print the same row
            String row = orchd.ok("get", "apps", "--no-headers").replaceAll("\\S+\\n$", "<age>\n"); // AGE ticks
            assertThat(row).startsWith("web ").doesNotContain("NAME").endsWith("\n").hasLineCount(1);
            for (String[] alias : new String[][] {{"app", "web"}, {"app/web"}, {"web"}, {"deploy", "web"}, {"deployment.orch.dev/web"}}) {
                assertThat(orchd.ok(concat(new String[] {"get"}, alias, new String[] {"--no-headers"})).replaceAll("\\S+\\n$", "<age>\n"))
                        .as("get %s", String.join(" ", alias)).isEqualTo(row);
                assertThat(orchd.ok(concat(new String[] {"describe"}, alias, new String[0]))).as("describe %s", String.join(" ", alias))
                        .startsWith("Name:").contains("web");
            }
            assertThat(orchd.ok("get", "apps", "-o", "name")).isEqualTo("deployment.orch.dev/web\n");
            assertThat(orchd.ok("get", "web", "-o", "name")).isEqualTo("deployment.orch.dev/web\n");
            assertThat(orchd.ok("get", "apps", "-l", "tier=web", "-o", "name")).isEqualTo("deployment.orch.dev/web\n");
            assertThat(orchd.ok("get", "apps", "-l", "tier=web,env!=dev", "-o", "name")).isEqualTo("deployment.orch.dev/web\n");
            assertThat(orchd.ok("get", "apps", "-l", "tier", "-o", "name")).isEqualTo("deployment.orch.dev/web\n");
            OrchDist.Result none = orchd.orchctl("get", "apps", "-l", "tier!=web");
            assertThat(none.exitCode()).isZero();
            assertThat(none.stdout()).isEmpty();
            assertThat(none.stderr()).isEqualTo("No resources found.\n");
            OrchDist.Result absent = orchd.orchctl("get", "app", "nope");
            assertThat(absent.exitCode()).isEqualTo(1);
            assertThat(absent.stderr()).isEqualTo("Error from server (NotFound): app \"nope\" not found\n");
            assertThat(orchd.orchctl("get", "pods/web").exitCode()).isEqualTo(2);

            // -o yaml is the manifest as applied plus status; applying it back changes nothing
            String asYaml = orchd.ok("get", "app", "web", "-o", "yaml");
            assertThat(asYaml).startsWith("---\napiVersion: \"orch.dev/v1\"\nkind: \"Deployment\"\n").contains("\nstatus:\n  phase: Available\n  live: blue\n");
            Path exported = dir.resolve("exported.yaml");
            Files.writeString(exported, asYaml);
            assertThat(orchd.ok("apply", "-f", exported.toString())).isEqualTo("deployment.orch.dev/web unchanged\n");
            Path exportedJson = dir.resolve("exported.json");
            Files.writeString(exportedJson, orchd.ok("get", "app/web", "-o", "json"));
            assertThat(orchd.ok("apply", "-f", exportedJson.toString())).isEqualTo("deployment.orch.dev/web unchanged\n");
            golden("it-get-apps-wide.txt", orchd.ok("get", "apps", "-o", "wide"));
            assertThat(orchd.ok("get", "app", "web", "-o", "json")).contains("\"name\" : \"web\"").contains("\"live\" : \"blue\"");
            assertThat(orchd.ok("get", "app", "web", "-o", "yaml")).contains("  name: \"web\"\n");
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
            // the process driver: --tail counts both colors together, --since drops older lines (each line carries its time)
            assertThat(orchd.ok("logs", "web", "--tail", "1").lines()).singleElement().asString().matches("\\[(blue|green)\\] .*");
            assertThat(orchd.ok("logs", "web", "--tail", "0")).isEmpty();
            java.time.Instant cut = java.time.Instant.now();
            Thread.sleep(3000); // --since 2s starts a second after the cut, at least
            web.get("/after-cut");
            List<String> recent = orchd.ok("logs", "web", "--since", "2s", "--timestamps").lines().toList();
            assertThat(recent).anyMatch(l -> l.contains("GET /after-cut HTTP/1.1"));
            assertThat(recent).allSatisfy(l -> assertThat(java.time.Instant.parse(l.split(" ")[1])).isAfter(cut));
            LogsFollow.assertFollows(orchd.dist(), web, "files");

            assertThat(orchd.ok("rollout", "restart", "web")).isEqualTo("deployment.orch.dev/web restarted\n");
            assertThat(orchd.ok("rollout", "status", "web", "--timeout", "90s")).contains("revision 3 is live in blue");
            assertThat(orchd.ok("get", "app", "web", "-o", "yaml")).contains("ORCH_RESTARTED_AT").contains("orch.dev/restartedAt");

            assertThat(orchd.ok("switch", "web")).startsWith("deployment.orch.dev/web switched (switch to revision 2)");
            orchd.ok("rollout", "status", "web", "--timeout", "90s");
            assertThat(orchd.ok("get", "app", "web")).contains("green");
            assertThat(orchd.ok("rollout", "undo", "web", "--to-revision", "1")).contains("rolled back (undo to revision 1)");
            orchd.ok("rollout", "status", "web", "--timeout", "90s");
            // blue ran v1, green v2, blue the restart, green the switch: one stream in time order, not file after file
            List<String> merged = orchd.ok("logs", "web", "--timestamps").lines().toList();
            List<java.time.Instant> times = merged.stream().map(l -> java.time.Instant.parse(l.split(" ")[1])).toList();
            assertThat(times).isSorted();
            long colorChanges = java.util.stream.IntStream.range(1, merged.size()).filter(i -> merged.get(i).charAt(1) != merged.get(i - 1).charAt(1)).count();
            assertThat(colorChanges).as("colors interleaved: %s", merged).isGreaterThanOrEqualTo(3);

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

            // each shell's script, sourced by the real shell, asks the packaged orchctl (and through it orchd) for candidates
            String bin = orchd.dist().home().resolve("bin").toString();
            assertThat(shell(orchd, bin, "bash", "source <(orchctl completion bash); COMP_WORDS=(orchctl rollout status w); COMP_CWORD=3;"
                    + " _orchctl; printf '%s\\n' \"${COMPREPLY[@]}\"")).isEqualTo("web\n");
            assertThat(shell(orchd, bin, "bash", "source <(orchctl completion bash); COMP_WORDS=(orchctl rol); COMP_CWORD=1;"
                    + " _orchctl; printf '%s\\n' \"${COMPREPLY[@]}\"")).isEqualTo("rollout\n");
            assertThat(shell(orchd, bin, "bash", "source <(orchctl completion bash); COMP_WORDS=(orchctl get --no-h); COMP_CWORD=2;"
                    + " _orchctl; printf '%s\\n' \"${COMPREPLY[@]}\"")).isEqualTo("--no-headers\n");
            // zsh: the script's function with compadd standing in for the completion widget's builtin
            String zshStub = "compdef() { :; }; compadd() { [[ $1 == -- ]] && shift; print -l -- \"$@\"; };"
                    + " source <(orchctl completion zsh);";
            assertThat(shell(orchd, bin, "zsh", zshStub + " words=(orchctl logs ''); CURRENT=3; _orchctl")).isEqualTo("web\n");
            assertThat(shell(orchd, bin, "zsh", zshStub + " words=(orchctl get -o); CURRENT=3; _orchctl")).isEqualTo("-o\n");
            assertThat(shell(orchd, bin, "fish", "orchctl completion fish | source; complete -C 'orchctl describe app w'")).isEqualTo("web\n");
            assertThat(shell(orchd, bin, "fish", "orchctl completion fish | source; complete -C 'orchctl rollout un'")).isEqualTo("undo\n");
            assertThat(orchd.orchctl("get", "pods", "web").exitCode()).isEqualTo(2);
            OrchDist.Result missing = orchd.orchctl("describe", "app", "nope");
            assertThat(missing.exitCode()).isEqualTo(1);
            assertThat(missing.stderr()).isEqualTo("error: orchd answered 404: app \"nope\" not found\n");

            // diff compares with what runs: after a failed rollout, the manifest that still runs differs in nothing
            Path running = dir.resolve("running.yaml");
            Files.writeString(running, orchd.ok("get", "app", "web", "-o", "yaml"));
            Path bad = labelled(web.manifest("v9", WebApp.NEVER_READY, 3));
            assertThat(orchd.ok("apply", "-f", bad.toString())).isEqualTo("deployment.orch.dev/web configured\n");
            assertThat(orchd.orchctl("rollout", "status", "web", "--timeout", "90s").exitCode()).isEqualTo(1);
            OrchDist.Result same = orchd.orchctl("diff", "-f", running.toString());
            assertThat(same.exitCode()).as("diff of what runs: %s", same).isZero();
            assertThat(same.stdout()).isEmpty();
            OrchDist.Result again = orchd.orchctl("diff", "-f", bad.toString());
            assertThat(again.exitCode()).as("%s", again).isEqualTo(1);
            assertThat(again.stdout()).contains("+      value: \"v9\"\n").contains("# web: new revision: start 1 unit(s) orch-web-");
            OrchDist.Result failedDiff = orchd.orchctl("diff", "-f", dir.resolve("absent.yaml").toString());
            assertThat(failedDiff.exitCode()).as("kubectl diff: >1 on an error").isEqualTo(2);
            assertThat(failedDiff.stderr()).isEqualTo("error: the path \"" + dir.resolve("absent.yaml") + "\" does not exist\n");

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

    /**
     * Remote use: orchd's TCP listener over TLS with a certificate made here; the client reaches it through a named
     * context of its own config file (or the same values as flags), trusting the CA file given, and fails on any other.
     */
    @Test
    void remoteContextsOverTls() throws Exception {
        Path cert = dir.resolve("orchd.crt");
        Path key = dir.resolve("orchd.key");
        Path otherCa = dir.resolve("other.crt");
        openssl(cert, key);
        openssl(otherCa, dir.resolve("other.key"));
        int port = FreePort.find();
        Map<String, String> tls = Map.of("ORCH_API_TCP_ENABLED", "true", "ORCH_API_TCP_PORT", Integer.toString(port),
                "ORCH_API_TCP_TLS_CERT_FILE", cert.toString(), "ORCH_API_TCP_TLS_KEY_FILE", key.toString());
        WebApp web = new WebApp(dir);
        Path v1 = web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60);
        try (ProcessDaemon orchd = ProcessDaemon.start(dir, tls, "")) {
            Path token = orchd.state().resolve("api-token");
            // a client elsewhere: no local state dir or socket, its own config file
            Path clientConfig = dir.resolve("client/config");
            OrchDist client = orchd.dist().withEnv(Map.of("ORCH_STATE_DIR", dir.resolve("elsewhere").toString(), "ORCHCONFIG", clientConfig.toString(),
                    "ORCH_API_TCP_ENABLED", "false"));
            String server = "https://127.0.0.1:" + port;

            assertThat(ok(client, "config", "set-context", "prod", "--server", server, "--token-file", token.toString(),
                    "--certificate-authority", cert.toString())).isEqualTo("Context \"prod\" created.\n");
            assertThat(ok(client, "config", "set-context", "bad-ca", "--server", server, "--token-file", token.toString(),
                    "--certificate-authority", otherCa.toString(), "--current")).isEqualTo("Context \"bad-ca\" created.\n");
            assertThat(ok(client, "config", "current-context")).isEqualTo("bad-ca\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(clientConfig))).isEqualTo("rw-------");
            OrchDist.Result noContext = bare(orchd).orchctl("get", "apps");
            assertThat(noContext.exitCode()).isEqualTo(1);
            assertThat(noContext.stderr()).startsWith("error: cannot reach orchd at unix:" + dir.resolve("elsewhere"));
            assertThat(ok(client, "config", "use-context", "prod")).isEqualTo("Switched to context \"prod\".\n");
            assertThat(ok(client, "config", "current-context")).isEqualTo("prod\n");
            assertThat(ok(client, "config", "get-contexts").replaceAll(" +", " ")).isEqualTo("""
                    CURRENT NAME SERVER TOKEN-FILE
                    * prod %s %s
                     bad-ca %s %s
                    """.formatted(server, token, server, token));

            OrchDist.Result empty = client.orchctl("get", "apps");
            assertThat(empty.exitCode()).as("%s", empty).isZero();
            assertThat(empty.stderr()).isEqualTo("No resources found.\n");
            assertThat(ok(client, "apply", "-f", v1.toString())).isEqualTo("deployment.orch.dev/web created\n");
            assertThat(ok(client, "rollout", "status", "web", "--timeout", "90s")).contains("successfully rolled out: revision 1 is live in blue");
            assertThat(ok(client, "get", "apps", "-o", "name")).isEqualTo("deployment.orch.dev/web\n");
            assertThat(orchd.ok("get", "apps", "-o", "name")).as("the local socket still answers").isEqualTo("deployment.orch.dev/web\n");

            // the same by flags alone, in front of the command or after it, with no context file at all
            OrchDist bare = bare(orchd);
            assertThat(ok(bare, "--server", server, "--token-file", token.toString(), "--certificate-authority", cert.toString(),
                    "get", "app/web", "-o", "name")).isEqualTo("deployment.orch.dev/web\n");
            assertThat(ok(bare, "get", "web", "-o", "name", "--server", server, "--token-file", token.toString(),
                    "--certificate-authority", cert.toString())).isEqualTo("deployment.orch.dev/web\n");

            OrchDist.Result untrusted = client.orchctl("--context", "bad-ca", "get", "apps");
            assertThat(untrusted.exitCode()).isEqualTo(1);
            assertThat(untrusted.stderr()).startsWith("error: cannot reach orchd at " + server + ": ");
            OrchDist.Result plain = client.orchctl("--server", "http://127.0.0.1:" + port, "get", "apps");
            assertThat(plain.exitCode()).as("the TCP listener speaks only TLS: %s", plain).isEqualTo(1);
            Path wrong = Files.writeString(dir.resolve("wrong-token"), "nope\n");
            OrchDist.Result wrongToken = client.orchctl("--token-file", wrong.toString(), "get", "apps");
            assertThat(wrongToken.exitCode()).isEqualTo(1);
            assertThat(wrongToken.stderr()).startsWith("error: orchd answered 401");
            OrchDist.Result unknown = client.orchctl("--context", "nope", "get", "apps");
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.stderr()).isEqualTo("error: context \"nope\" not found in " + clientConfig + " (see 'orchctl config get-contexts')\n");
            assertThat(ok(client, "delete", "app", "web")).isEqualTo("deployment.orch.dev/web deleted\n");
        }
    }

    /** {@code SHELL -c SCRIPT} with the packaged orchctl first on PATH; must exit 0. */
    private static String shell(ProcessDaemon orchd, String bin, String shell, String script) throws Exception {
        ProcessBuilder pb = orchd.orchctlProcess().command(shell, "-c", script);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s -c %s: %s", shell, script, out).isZero();
        return out;
    }

    /** A client with neither a local daemon nor a client config file. */
    private OrchDist bare(ProcessDaemon orchd) {
        return orchd.dist().withEnv(Map.of("ORCH_STATE_DIR", dir.resolve("elsewhere").toString(),
                "ORCHCONFIG", dir.resolve("none/config").toString(), "ORCH_API_TCP_ENABLED", "false"));
    }

    private static String ok(OrchDist client, String... args) {
        OrchDist.Result r = client.orchctl(args);
        assertThat(r.exitCode()).as("orchctl %s: %s", String.join(" ", args), r).isZero();
        return r.stdout();
    }

    /** A self-signed certificate for 127.0.0.1 (its own CA) and its PKCS#8 key. */
    private static void openssl(Path cert, Path key) throws Exception {
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=orchd test",
                "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("openssl: %s", out).isZero();
    }

    private static String[] concat(String[] a, String[] b, String[] c) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        all.addAll(List.of(c));
        return all.toArray(String[]::new);
    }

    private static List<String> snapshot(List<String> seen) {
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    private static Path labelled(Path manifest) throws IOException {
        Files.writeString(manifest, Files.readString(manifest).replace("  name: web\n", "  name: web\n  labels: {tier: web, env: prod}\n"));
        return manifest;
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
