package dev.orch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.cli.FreePort;
import dev.orch.cli.ProcessDaemon;
import dev.orch.source.WebhookSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loopback TCP listener: bearer token or 401 (and nothing changes); the CLI finds it from the config alone. */
class ApiAuthIT {
    @TempDir
    Path dir;

    static final String MANIFEST = """
            apiVersion: orch.dev/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              route:
                port: 18181
              template:
                command: ["/bin/sleep", "600"]
            """;

    @Test
    void tcpCallsNeedTheToken() throws Exception {
        int port = FreePort.find();
        // a small audit log: it rotates during the test, and orchctl audit still finds every entry
        try (ProcessDaemon orchd = ProcessDaemon.start(dir, Map.of("ORCH_API_TCP_ENABLED", "true", "ORCH_API_TCP_PORT", Integer.toString(port),
                "ORCH_AUDIT_MAX_FILE_SIZE", "300"), "")) {
            Path tokenFile = orchd.state().resolve("api-token");
            assertThat(tokenFile).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-r-----");
            String token = Files.readString(tokenFile).strip();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI apps = URI.create("http://127.0.0.1:" + port + "/api/v1/apps");

            HttpResponse<String> none = http.send(HttpRequest.newBuilder(apps).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"orch\"");
            assertThat(none.body()).contains("Authorization: Bearer");

            HttpResponse<String> wrongApply = http.send(HttpRequest.newBuilder(apps).header("Authorization", "Bearer nope")
                    .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(MANIFEST)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrongApply.statusCode()).isEqualTo(401);
            assertThat(orchd.state().resolve("apps/web")).doesNotExist();
            assertThat(orchd.orchctl("get", "apps").stderr()).contains("No resources found.");

            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(apps).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);

            HttpResponse<String> openapi = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/openapi?format=json"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(openapi.statusCode()).isEqualTo(200);
            assertThat(openapi.body()).contains("\"openapi\"").contains("/api/v1/apps/{name}/restart").contains("/api/v1/events").contains("/api/v1/diff");

            // only a repository's webhook path is exempt from the token; nothing else under a look-alike path
            HttpResponse<String> hook = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/webhooks/git"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(hook.statusCode()).isEqualTo(401);
            HttpResponse<String> sync = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/sources/sync"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(sync.statusCode()).isEqualTo(401);

            // the management listener serves metrics and health, never the API
            HttpResponse<String> mgmt = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + orchd.managementPort() + "/api/v1/apps")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(mgmt.statusCode()).isEqualTo(404);

            // a CLI that cannot use the socket goes over TCP with the token, from the config alone
            var cli = orchd.dist().withEnv(Map.of("ORCH_API_SOCKET", dir.resolve("no-such.sock").toString(),
                    "ORCH_API_TCP_ENABLED", "true", "ORCH_API_TCP_PORT", Integer.toString(port), "ORCH_API_TOKEN_FILE", tokenFile.toString()));
            Path f = dir.resolve("web.yaml");
            Files.writeString(f, MANIFEST);
            var applied = cli.orchctl("apply", "-f", f.toString());
            assertThat(applied.exitCode()).as("%s", applied).isZero();
            assertThat(applied.stdout()).isEqualTo("deployment.orch.dev/web created\n");
            assertThat(orchd.ok("get", "apps")).contains("web");

            Files.writeString(dir.resolve("bad-token"), "0123456789abcdef0123\n");
            var bad = orchd.dist().withEnv(Map.of("ORCH_API_SOCKET", dir.resolve("no-such.sock").toString(),
                    "ORCH_API_TCP_ENABLED", "true", "ORCH_API_TCP_PORT", Integer.toString(port),
                    "ORCH_API_TOKEN_FILE", dir.resolve("bad-token").toString())).orchctl("get", "apps");
            assertThat(bad.exitCode()).isEqualTo(1);
            assertThat(bad.stderr()).startsWith("error: orchd answered 401: this API needs 'Authorization: Bearer <token>'");
            orchd.ok("delete", "app", "web");

            // the audit log names who asked: the token over TCP, the unix-socket peer's user (the kernel's word)
            var audit = new com.fasterxml.jackson.databind.ObjectMapper();
            var byHand = auditLines(orchd.state()).stream().map(l -> {
                try {
                    return audit.readTree(l);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(e -> "web".equals(e.path("app").asText()) && !"controller".equals(e.path("cause").asText())).toList();
            assertThat(byHand).extracting(e -> e.path("action").asText() + " by " + e.path("cause").asText())
                    .containsSubsequence("apply by token api", "delete by user " + System.getProperty("user.name"));

            // orchctl audit: the same entries with actor and cause, from the rotated files too
            assertThat(orchd.state().resolve("audit.log.1")).exists();
            var searched = audit.readTree(orchd.ok("audit", "--app", "web", "--source", "api", "-o", "json"));
            // orchd's own rollout of what the token applied counts as api too; only the requests name a person or token
            assertThat(searched).filteredOn(e -> !e.path("actor").asText().startsWith("controller ")).extracting(e -> e.path("action").asText() + " by " + e.path("actor").asText() + " (" + e.path("source").asText() + ")")
                    .containsExactly("apply by token api (api)", "delete by user " + System.getProperty("user.name") + " (api)");
            var everything = audit.readTree(orchd.ok("audit", "--app", "web", "-o", "json"));
            assertThat(everything).extracting(e -> e.path("action").asText() + " " + e.path("source").asText())
                    .containsSubsequence("apply api", "delete api");
            var noGit = orchd.orchctl("audit", "--app", "web", "--source", "git");
            assertThat(noGit.exitCode()).isZero();
            assertThat(noGit.stderr()).isEqualTo("No audit entries found.\n");
            assertThat(orchd.ok("audit", "--since", "1h", "--app", "web")).startsWith("TIME ").contains(" apply ").contains(" token api ");
            assertThat(orchd.orchctl("audit", "--source", "svn").exitCode()).isEqualTo(2);
            // the endpoint behind it, over TCP with the token: the newest N with limit
            HttpResponse<String> newest = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/audit?app=web&source=api&limit=1"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(newest.statusCode()).isEqualTo(200);
            assertThat(audit.readTree(newest.body())).singleElement().satisfies(e -> assertThat(e.path("action").asText()).isEqualTo("delete"));
            HttpResponse<String> badSource = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/audit?source=svn"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(badSource.statusCode()).isEqualTo(400);
            assertThat(badSource.body()).contains("invalid source \\\"svn\\\": use git, api or controller");
        }
    }

    /**
     * A git host on another machine reaches the push webhook over the TCP listener with no bearer token: the
     * signature is its only credential. A wrong or missing signature gets 401 and fetches nothing; a GitHub-signed
     * push event gets 202 and the commit is synced.
     */
    @Test
    void theWebhookOverTcpNeedsTheSignatureNotTheToken() throws Exception {
        int port = FreePort.find();
        Path work = dir.resolve("repo");
        Path secret = dir.resolve("webhook-secret");
        Files.writeString(secret, "hook-s3cret\n");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            int routePort = FreePort.find();
            String c1 = commit(git, work, routePort, "v1");
            // polling once an hour: after the first sync at start-up only the webhook fetches
            try (ProcessDaemon orchd = ProcessDaemon.start(dir, Map.of("ORCH_API_TCP_ENABLED", "true", "ORCH_API_TCP_PORT", Integer.toString(port),
                    "ORCH_GIT_REPOS_APPS_URL", work.toUri().toString(), "ORCH_GIT_REPOS_APPS_POLL", "1h",
                    "ORCH_GIT_REPOS_APPS_WEBHOOK_SECRET_FILE", secret.toString()), "")) {
                Path desired = orchd.state().resolve("apps/web/desired.json");
                await().atMost(Duration.ofSeconds(60)).until(() -> ("main@sha1:" + c1).equals(revisionOf(desired)));
                String c2 = commit(git, work, routePort, "v2");
                byte[] event = ("{\"ref\":\"refs/heads/main\",\"before\":\"" + c1 + "\",\"after\":\"" + c2
                        + "\",\"repository\":{\"full_name\":\"ops/apps\"}}").getBytes(StandardCharsets.UTF_8);
                String good = "sha256=" + HexFormat.of().formatHex(WebhookSignature.hmac("hook-s3cret".getBytes(StandardCharsets.UTF_8), event));
                String wrong = "sha256=" + HexFormat.of().formatHex(WebhookSignature.hmac("guess".getBytes(StandardCharsets.UTF_8), event));
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                URI hook = URI.create("http://127.0.0.1:" + port + "/api/v1/sources/apps/webhook");

                HttpResponse<String> bad = http.send(HttpRequest.newBuilder(hook).header("X-GitHub-Event", "push").header(WebhookSignature.GITHUB, wrong)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(bad.statusCode()).isEqualTo(401);
                assertThat(bad.body()).contains("webhook refused: the signature does not match the body and the shared secret");
                HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(hook).header("X-GitHub-Event", "push")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(unsigned.statusCode()).isEqualTo(401);
                assertThat(unsigned.body()).contains("webhook refused: no signature header");
                try (Git mirror = Git.open(orchd.state().resolve("git/apps.git").toFile())) {
                    assertThat(mirror.getRepository().getObjectDatabase().has(ObjectId.fromString(c2))).as("c2 fetched").isFalse();
                }
                assertThat(revisionOf(desired)).isEqualTo("main@sha1:" + c1);

                HttpResponse<String> ok = http.send(HttpRequest.newBuilder(hook).header("X-GitHub-Event", "push").header(WebhookSignature.GITHUB, good)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(event)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(ok.statusCode()).isEqualTo(202);
                assertThat(ok.body()).contains("\"result\":\"sync started\"").contains("\"repo\":\"apps\"");
                await().atMost(Duration.ofSeconds(60)).until(() -> ("main@sha1:" + c2).equals(revisionOf(desired)));
                assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(desired.toFile())
                        .at("/deployment/spec/template/env/0/value").asText()).isEqualTo("v2");

                // the audit log names the commit and its author
                var fromGit = new com.fasterxml.jackson.databind.ObjectMapper().readTree(orchd.ok("audit", "--app", "web", "--source", "git", "-o", "json"));
                String actor = "git " + c2.substring(0, 12) + " Dev Eloper <dev@example.com>";
                assertThat(fromGit).filteredOn(e -> e.path("actor").asText().equals(actor)).singleElement().satisfies(e -> {
                    assertThat(e.path("action").asText()).isEqualTo("apply");
                    assertThat(e.path("cause").asText()).isEqualTo(actor);
                    assertThat(e.path("details").path("revision").asText()).isEqualTo("main@sha1:" + c2);
                });
            }
        }
    }

    /** Every line of the audit log, the rotated files ({@code audit.log.1}, {@code .2}, ...) first. */
    private static java.util.List<String> auditLines(Path state) throws java.io.IOException {
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (int n = 1; Files.exists(state.resolve("audit.log." + n)); n++) {
            lines.addAll(Files.readAllLines(state.resolve("audit.log." + n)));
        }
        lines.addAll(Files.readAllLines(state.resolve("audit.log")));
        return lines;
    }

    /** The commit the stored desired state names ({@code main@sha1:<id>}), or null before the first sync. */
    private static String revisionOf(Path desired) throws java.io.IOException {
        return Files.exists(desired) ? new com.fasterxml.jackson.databind.ObjectMapper().readTree(desired.toFile()).at("/source/revision").asText(null) : null;
    }

    private static String commit(Git git, Path work, int routePort, String version) throws Exception {
        Files.writeString(work.resolve("web.yaml"), MANIFEST.replace("18181", Integer.toString(routePort)) + """
                    env:
                      - name: VERSION
                        value: %s
                """.formatted(version));
        git.add().addFilepattern("web.yaml").call();
        PersonIdent me = new PersonIdent("Dev Eloper", "dev@example.com");
        return git.commit().setMessage("web " + version).setAuthor(me).setCommitter(me).call().name();
    }
}
