package dev.orch.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.SystemdNamespace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sealed secrets the GitOps way (docs/secrets.md): a value sealed with the plain {@code age} one-liner is committed,
 * {@code git push} to the bare repository orchd watches deploys it, a second push rolls out the new value and
 * {@code git revert} + push brings the old one back. The app is SecretsIT's: it answers digests of what it read.
 */
class SealedGitOpsIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    OrchdOnSystemd orch;
    Path script;
    Path bare;
    Path work;
    int port;
    final List<String> plain = new ArrayList<>();
    final List<String> pushOutputs = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        orch = new OrchdOnSystemd(SYSTEMD);
        script = orch.dir().resolve("secret_app.py");
        Files.writeString(script, SecretsIT.APP);
        port = OrchdOnSystemd.freePort();
        bare = orch.dir().resolve("apps.git");
        work = orch.dir().resolve("work");
        git(orch.dir(), "init", "-q", "--bare", "-b", "main", bare.toString());
        Path hook = bare.resolve("hooks/post-receive");
        Files.copy(Path.of("systemd/post-receive"), hook);
        hook.toFile().setExecutable(true);
        git(orch.dir(), "clone", "-q", bare.toString(), work.toString());
        git(work, "config", "user.name", "Dev Eloper");
        git(work, "config", "user.email", "dev@example.com");
        orch.env("ORCH_GIT_REPOS_APPS_URL", bare.toUri().toString())
                .env("ORCH_GIT_REPOS_APPS_PATH", "apps")
                .env("ORCH_GIT_REPOS_APPS_POLL", "2s");
        orch.start();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            orch.orchctl("delete", "app", "web", "--force-conflicts");
            await().atMost(Duration.ofSeconds(30)).until(() -> SYSTEMD.exec("systemctl", "list-units", "--all", "--no-legend", "orch-web-*").stdout().isBlank());
        } finally {
            orch.close();
        }
    }

    @Test
    void aPushDeploysASealedValueAPushChangesItAndARevertRollsItBack() throws Exception {
        String recipient = ok("get", "sealing-key").strip();
        assertThat(recipient).matches("age1[0-9a-z]{58}");

        // 1. sealed with the documented age one-liner, committed, pushed: deployed, read from $CREDENTIALS_DIRECTORY
        String pw1 = secret("pw1");
        write(manifest(ageOneLiner("web", recipient, pw1)));
        String c1 = commitAndPush("web with a sealed password");
        awaitServing(pw1);
        String color1 = color(get());
        String hash1 = targetHash();
        assertThat(ok("get", "app", "web", "-o", "yaml")).contains("type: git", "revision: main@sha1:" + c1, "path: apps/web.yaml");

        // 2. a new sealed value, pushed: a new revision on the other color serves it
        String pw2 = secret("pw2");
        write(manifest(ageOneLiner("web", recipient, pw2)));
        String c2 = commitAndPush("rotate the password");
        awaitServing(pw2);
        String color2 = color(get());
        assertThat(color2).isEqualTo(color1.equals("blue") ? "green" : "blue");
        String hash2 = targetHash();
        assertThat(hash2).isNotEqualTo(hash1);
        assertThat(ok("get", "app", "web", "-o", "yaml")).contains("revision: main@sha1:" + c2);

        // 3. git revert + push: the old ciphertext is back in the tree, the old value is served again
        git(work, "revert", "--no-edit", "HEAD");
        String c3 = push();
        awaitServing(pw1);
        assertThat(color(get())).isEqualTo(color1);
        assertThat(ok("get", "app", "web", "-o", "yaml")).contains("revision: main@sha1:" + c3);
        // the revert is a new revision with the first one's hash: the ciphertext is part of the revision's identity
        String hash3 = targetHash();
        assertThat(hash3).isEqualTo(hash1);
        String history = ok("rollout", "history", "web");
        assertThat(history.lines().skip(1).map(l -> l.split("\\s+")).map(f -> f[0] + " " + f[1] + " " + f[4]).toList())
                .containsExactly("1 " + hash1 + " main@sha1:" + c1, "2 " + hash2 + " main@sha1:" + c2, "3 " + hash1 + " main@sha1:" + c3);

        // no plain text in orchd's log, the journal, the push output or any API answer of this flow
        List<String> answers = new ArrayList<>(List.of(ok("get", "app", "web", "-o", "json"), ok("get", "app", "web", "-o", "yaml"),
                ok("describe", "app", "web"), ok("events", "--app", "web"), ok("audit"), ok("rollout", "history", "web"),
                ok("get", "apps", "-o", "wide"), sources(),
                SYSTEMD.exec("journalctl", "--no-pager", "-o", "verbose").stdout(), orch.logs()));
        answers.addAll(pushOutputs);
        for (String p : plain) {
            for (String a : answers) {
                assertThat(a).doesNotContain(p);
            }
        }
    }

    private String secret(String label) {
        String s = label + "-" + UUID.randomUUID().toString().replace("-", "");
        plain.add(s);
        return s;
    }

    private String ok(String... args) {
        OrchDist.Result r = orch.orchctl(args);
        assertThat(r.exitCode()).as("orchctl %s: %s\n%s", String.join(" ", args), r, orch.logs()).isZero();
        return r.stdout();
    }

    /** docs/secrets.md's plain-age way; the value on stdin only. */
    private static String ageOneLiner(String app, String recipient, String value) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "(printf 'orch-sealed app=%s\\n' \"$1\"; cat) | age -a -r \"$2\"", "sh", app, recipient).start();
        p.getOutputStream().write(value.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("age: %s", err).isZero();
        assertThat(out).startsWith("-----BEGIN AGE ENCRYPTED FILE-----");
        return out;
    }

    private String manifest(String sealed) {
        String indented = sealed.strip().lines().map(l -> "          " + l).reduce((a, b) -> a + "\n" + b).orElseThrow();
        return """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  route:
                    port: %d
                    bindAddress: 127.0.0.1
                    drainTimeoutSeconds: 1
                  strategy:
                    blueGreen:
                      keepWarmSeconds: 0
                      bake: {durationSeconds: 0}
                  template:
                    command: ["/usr/bin/python3"]
                    args: ["$(ARTIFACT)"]
                    artifact:
                      path: %s
                    env:
                      - name: DB_PASSWORD
                        sealedValue: |
                %s
                    readinessProbe:
                      httpGet:
                        path: /
                      periodSeconds: 1
                    terminationGracePeriodSeconds: 2
                """.formatted(port, script, indented);
    }

    private void write(String content) throws Exception {
        Path f = work.resolve("apps/web.yaml");
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }

    private String commitAndPush(String message) throws Exception {
        git(work, "add", "-A");
        git(work, "commit", "-q", "-m", message);
        return push();
    }

    /** Pushes through the post-receive hook (which asks orchd to sync); returns the pushed commit. */
    private String push() throws Exception {
        pushOutputs.add(run(work, Map.of("ORCHCTL", orch.dist().home().resolve("bin/orchctl").toString(), "ORCH_STATE_DIR", orch.stateDir().toString()),
                "git", "push", "origin", "main"));
        return git(work, "rev-parse", "HEAD").strip();
    }

    private String sources() throws Exception {
        return run(orch.dir(), Map.of(), "curl", "-s", "--unix-socket", orch.stateDir().resolve("orchd.sock").toString(), "http://localhost/api/v1/sources");
    }

    private String get() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The revision hash the current rollout deploys (the one serving, once the answer shows its value). */
    private String targetHash() {
        Matcher m = Pattern.compile("(?m)^    targetHash: (\\w+)$").matcher(ok("get", "app", "web", "-o", "yaml"));
        assertThat(m.find()).as("targetHash in get -o yaml").isTrue();
        return m.group(1);
    }

    private static String color(String answer) {
        Matcher m = Pattern.compile("\"color\": \"(\\w+)\"").matcher(answer);
        assertThat(m.find()).as(answer).isTrue();
        return m.group(1);
    }

    /** The env var and the credential file both hold exactly this value (by digest). */
    private void awaitServing(String value) {
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> assertThat(get())
                    .contains("\"env\": \"" + SecretsIT.digest(value) + "\"", "\"cred:DB_PASSWORD\": \"" + SecretsIT.digest(value) + "\""));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not serving " + SecretsIT.digest(value) + "\n" + orch.orchctl("get", "app", "web", "-o", "yaml") + "\n" + orch.logs(), e);
        }
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        return run(dir, Map.of(), cmd.toArray(String[]::new));
    }

    private static String run(Path dir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", cmd) + " failed (" + (p.isAlive() ? "timeout" : "exit " + p.exitValue()) + "):\n" + out);
        }
        return out;
    }
}
