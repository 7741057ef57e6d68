package dev.orch.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.SystemdNamespace;
import dev.orch.testing.WebApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GitOps end to end, as a user does it: a bare repository on the host with orch's post-receive hook, the
 * {@code git} CLI pushing manifests, the packaged orchd (configured by ORCH_GIT_* environment) on real systemd.
 */
class GitOpsIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();

    OrchdOnSystemd orch;
    WebApp web;
    Path bare;
    Path work;
    Path secret;
    int apiPort;
    int tcpPort;

    @BeforeEach
    void start() throws Exception {
        orch = new OrchdOnSystemd(SYSTEMD);
        web = new WebApp(orch.dir());
        apiPort = OrchdOnSystemd.freePort();
        tcpPort = OrchdOnSystemd.freePort();
        bare = orch.dir().resolve("apps.git");
        work = orch.dir().resolve("work");
        secret = orch.dir().resolve("webhook-secret");
        Files.writeString(secret, "s3cret-for-hooks\n");
        git(orch.dir(), "init", "-q", "--bare", "-b", "main", bare.toString());
        Path hook = bare.resolve("hooks/post-receive");
        Files.copy(Path.of("systemd/post-receive"), hook);
        hook.toFile().setExecutable(true);
        git(orch.dir(), "clone", "-q", bare.toString(), work.toString());
        git(work, "config", "user.name", "Dev Eloper");
        git(work, "config", "user.email", "dev@example.com");
        orch.env("ORCH_GIT_REPOS_APPS_URL", bare.toUri().toString())
                .env("ORCH_GIT_REPOS_APPS_PATH", "apps")
                .env("ORCH_GIT_REPOS_APPS_POLL", "2s")
                .env("ORCH_GIT_REPOS_APPS_WEBHOOK_SECRET_FILE", secret.toString())
                .env("ORCH_API_TCP_ENABLED", "true")
                .env("ORCH_API_TCP_PORT", Integer.toString(tcpPort));
        orch.start();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            // git owns them: a delete by hand needs the override
            orch.orchctl("delete", "app", "web", "--force-conflicts");
            orch.orchctl("delete", "app", "api", "--force-conflicts");
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> SYSTEMD.exec("systemctl", "list-units", "--all", "--no-legend", "orch-web-*", "orch-api-*").stdout().isBlank());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("units left 30 s after the deletes: "
                        + SYSTEMD.exec("systemctl", "list-units", "--all", "--no-legend", "orch-web-*", "orch-api-*").stdout() + "\n" + orch.logs(), e);
            }
        } finally {
            orch.close();
        }
    }

    @Test
    void gitPushDeploysRollsOutHoldsBrokenFilesPrunesAndSurvivesALostRemote() throws Exception {
        // 1. commit a manifest, push: the hook syncs and the app serves
        write("apps/web.yaml", Files.readString(web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60)));
        String c1 = commitAndPush("web v1").commit();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> web.get().contains("\"version\": \"v1\""));
        String yaml = orch.orchctl("get", "app", "web", "-o", "yaml").stdout();
        assertThat(yaml).contains("type: git", "revision: main@sha1:" + c1, "path: apps/web.yaml", "type: GitSynced");

        // 2. a new artifact version: blue/green switch
        write("apps/web.yaml", Files.readString(web.manifest("v2", WebApp.READY_ON_HEALTHZ, 60)));
        commitAndPush("web v2");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> web.get().contains("\"version\": \"v2\""));
        assertThat(web.get()).contains("\"color\": \"green\"");

        // 3. a second app, then one push with a broken web and a good api change
        write("apps/api.yaml", api("a1"));
        commitAndPush("api a1");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> getApi().contains("\"version\": \"a1\""));
        write("apps/web.yaml", Files.readString(web.manifest("v3", WebApp.READY_ON_HEALTHZ, 60)).replace("    drainTimeoutSeconds: 5\n",
                "    drainTimeoutSeconds: 5\n    colour: blue\n"));
        write("apps/api.yaml", api("a2"));
        Push broken = commitAndPush("typo in web, api a2");
        assertThat(broken.output()).contains("apps/web.yaml:10:5: spec.route.colour: unknown field \"colour\"");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> getApi().contains("\"version\": \"a2\""));
        assertThat(web.get()).contains("\"version\": \"v2\"");
        String held = orch.orchctl("get", "app", "web", "-o", "yaml").stdout();
        assertThat(held).contains("reason: ManifestError", "apps/web.yaml:10:5", broken.commit().substring(0, 12));
        assertThat(held).contains("path: apps/web.yaml").doesNotContain("revision: main@sha1:" + broken.commit());

        // ownership: apply by hand is refused, naming the repository and the file
        OrchDist.Result apply = orch.orchctl("apply", "-f", web.manifest("v9", WebApp.READY_ON_HEALTHZ, 60).toString());
        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(apply.stderr()).contains("defined in git repository apps", "apps/web.yaml", "--force-conflicts");

        // 4. the manifest leaves the repository: pruned
        Files.delete(work.resolve("apps/api.yaml"));
        write("apps/web.yaml", Files.readString(web.manifest("v2", WebApp.READY_ON_HEALTHZ, 60)));
        commitAndPush("drop api, fix web");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                SYSTEMD.exec("systemctl", "list-units", "--all", "--no-legend", "orch-api-*").stdout().isBlank()
                        && orch.orchctl("get", "app", "api").exitCode() != 0);

        // 5. the remote goes away: the last good revision keeps serving, the condition says why, it recovers
        Path away = orch.dir().resolve("apps.git.away");
        Files.move(bare, away);
        OrchDist.Result sync = orch.orchctl("sync");
        assertThat(sync.exitCode()).as("%s", sync).isEqualTo(1);
        assertThat(sync.stdout()).contains("apps: failed, still at main@sha1:");
        assertThat(sources()).contains("\"reason\":\"Unreachable\"", "\"ready\":\"False\"");
        assertThat(web.get()).contains("\"version\": \"v2\"");
        assertThat(orch.metrics()).containsPattern("orch_git_sync_total\\{repo=\"apps\",result=\"failed\"\\} [1-9]");
        Files.move(away, bare);
        await().atMost(Duration.ofSeconds(30)).until(() -> sources().contains("\"ready\":\"True\""));
        assertThat(orch.orchctl("sync").exitCode()).isZero();
    }

    @Test
    void theWebhookNeedsAValidSignature() throws Exception {
        write("apps/web.yaml", Files.readString(web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60)));
        commitAndPush("web v1");
        byte[] body = "{\"ref\":\"refs/heads/main\",\"after\":\"0123\"}".getBytes(StandardCharsets.UTF_8);
        String good = HexFormat.of().formatHex(WebhookSignature.hmac("s3cret-for-hooks".getBytes(StandardCharsets.UTF_8), body));
        String wrong = HexFormat.of().formatHex(WebhookSignature.hmac("guess".getBytes(StandardCharsets.UTF_8), body));

        assertThat(webhook(body, "X-Hub-Signature-256: sha256=" + good)).isEqualTo("202");
        assertThat(webhook(body, "X-Gitea-Signature: " + good)).isEqualTo("202");
        assertThat(webhook(body, "X-Forgejo-Signature: " + good)).isEqualTo("202");
        assertThat(webhook(body, "X-Hub-Signature-256: sha256=" + wrong)).isEqualTo("401");
        assertThat(webhook(body, null)).isEqualTo("401");
        byte[] replayed = "{\"ref\":\"refs/heads/main\",\"after\":\"4567\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(webhook(replayed, "X-Hub-Signature-256: sha256=" + good)).isEqualTo("401");
        assertThat(orch.logs()).contains("webhook refused: the signature does not match", "webhook refused: no signature header");

        // a git host on another machine: the TCP listener, no bearer token, the signature is the credential
        var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        var hook = java.net.URI.create("http://127.0.0.1:" + tcpPort + "/api/v1/sources/apps/webhook");
        var ok = http.send(java.net.http.HttpRequest.newBuilder(hook).header(WebhookSignature.GITHUB, "sha256=" + good)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(202);
        var refused = http.send(java.net.http.HttpRequest.newBuilder(hook).header(WebhookSignature.GITHUB, "sha256=" + wrong)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(401);
        var noToken = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + tcpPort + "/api/v1/sources/sync"))
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
    }

    @Test
    void anUndoPinsTheAppAcrossUnrelatedCommitsAndADeleteOfAGitAppIsRefused() throws Exception {
        write("apps/web.yaml", Files.readString(web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60)));
        commitAndPush("web v1");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> web.get().contains("\"version\": \"v1\""));
        write("apps/web.yaml", Files.readString(web.manifest("v2", WebApp.READY_ON_HEALTHZ, 60)));
        commitAndPush("web v2");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> web.get().contains("\"version\": \"v2\""));
        assertThat(orch.orchctl("rollout", "status", "web", "--timeout", "60s").exitCode()).isZero();

        // undo: web is pinned at revision 1, shown in status, get and describe, with an event
        OrchDist.Result undo = orch.orchctl("rollout", "undo", "web");
        assertThat(undo.exitCode()).as("%s", undo).isZero();
        assertThat(undo.stdout()).contains("rolled back (undo to revision 1)");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> web.get().contains("\"version\": \"v1\""));
        String pinned = orch.orchctl("get", "app", "web", "-o", "yaml").stdout();
        assertThat(pinned).contains("  pin:\n", "reason: RolledBack", "revision: 1", "endsWhen: the next commit to apps that changes app web (apps/web.yaml)");
        assertThat(orch.orchctl("describe", "app", "web").stdout())
                .containsPattern("Pinned: +RolledBack: revision 1 since \\S+ by user root; the next commit to apps that changes app web \\(apps/web.yaml\\) ends it");
        assertThat(orch.orchctl("get", "apps", "-o", "wide").stdout()).contains("git (pinned)");
        assertThat(orch.orchctl("events", "--app", "web").stdout()).contains("RolledBack");

        // a commit that changes only another app leaves the pin alone, and sync does not call web changed
        write("apps/api.yaml", api("a1"));
        commitAndPush("api a1");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> getApi().contains("\"version\": \"a1\""));
        assertThat(web.get()).contains("\"version\": \"v1\"");
        assertThat(orch.orchctl("get", "app", "web", "-o", "yaml").stdout()).contains("reason: RolledBack");
        assertThat(sources()).contains("\"pins\":{\"web\":{\"reason\":\"RolledBack\",\"revision\":1");

        // delete of a git app: refused like apply, naming the repository and the file
        OrchDist.Result refused = orch.orchctl("delete", "app", "api");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).startsWith("error: orchd answered 409: app \"api\" is defined in git repository apps (" + bare.toUri()
                + ") at apps/api.yaml: remove it there, or override with 'orchctl delete --force-conflicts'");
        assertThat(getApi()).contains("\"version\": \"a1\"");
        assertThat(orch.orchctl("get", "app", "api").exitCode()).isZero();

        // the commit that changes web ends the pin
        write("apps/web.yaml", Files.readString(web.manifest("v3", WebApp.READY_ON_HEALTHZ, 60)));
        commitAndPush("web v3");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> web.get().contains("\"version\": \"v3\""));
        assertThat(orch.orchctl("describe", "app", "web").stdout()).doesNotContain("Pinned:");
        assertThat(sources()).contains("\"pins\":{}");

        // --force-conflicts deletes it; it stays deleted across a commit that does not change it
        assertThat(orch.orchctl("delete", "app", "api", "--force-conflicts").stdout()).isEqualTo("deployment.orch.dev/api deleted\n");
        await().atMost(Duration.ofSeconds(60)).until(() -> SYSTEMD.exec("systemctl", "list-units", "--all", "--no-legend", "orch-api-*").stdout().isBlank());
        assertThat(sources()).contains("\"pins\":{\"api\":{\"reason\":\"DeletedByHand\"");
        write("apps/web.yaml", Files.readString(web.manifest("v4", WebApp.READY_ON_HEALTHZ, 60)));
        commitAndPush("web v4");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> web.get().contains("\"version\": \"v4\""));
        assertThat(orch.orchctl("sync").exitCode()).isZero();
        assertThat(orch.orchctl("get", "app", "api").exitCode()).isEqualTo(1);
        assertThat(sources()).contains("\"pins\":{\"api\":{\"reason\":\"DeletedByHand\"");
    }

    // ---- helpers

    record Push(String commit, String output) {}

    String api(String version) throws IOException {
        return Files.readString(web.manifest(version, WebApp.READY_ON_HEALTHZ, 60))
                .replace("name: web", "name: api").replace("port: " + web.port(), "port: " + apiPort);
    }

    String getApi() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + apiPort + "/")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }

    void write(String path, String content) throws IOException {
        Path f = work.resolve(path);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }

    Push commitAndPush(String message) throws Exception {
        git(work, "add", "-A");
        git(work, "commit", "-q", "-m", message);
        String commit = git(work, "rev-parse", "HEAD").strip();
        String out = run(work, Map.of("ORCHCTL", orch.dist().home().resolve("bin/orchctl").toString(), "ORCH_STATE_DIR", orch.stateDir().toString()),
                "git", "push", "origin", "main");
        return new Push(commit, out);
    }

    String sources() throws Exception {
        return run(orch.dir(), Map.of(), "curl", "-s", "--unix-socket", orch.stateDir().resolve("orchd.sock").toString(), "http://localhost/api/v1/sources");
    }

    /** POSTs a push event to the webhook over the API socket; returns the HTTP status. */
    String webhook(byte[] body, String signatureHeader) throws Exception {
        Path f = Files.write(orch.dir().resolve("payload.json"), body);
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--unix-socket",
                orch.stateDir().resolve("orchd.sock").toString(), "-H", "Content-Type: application/json", "-H", "X-GitHub-Event: push",
                "--data-binary", "@" + f));
        if (signatureHeader != null) {
            cmd.addAll(List.of("-H", signatureHeader));
        }
        cmd.add("http://localhost/api/v1/sources/apps/webhook");
        return run(orch.dir(), Map.of(), cmd.toArray(String[]::new)).strip();
    }

    static String git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        return run(dir, Map.of(), cmd.toArray(String[]::new));
    }

    static String run(Path dir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed (" + (p.isAlive() ? "timeout" : "exit " + p.exitValue()) + "):\n" + out);
        }
        return out;
    }
}
