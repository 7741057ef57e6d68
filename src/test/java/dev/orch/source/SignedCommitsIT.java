package dev.orch.source;

import static dev.orch.testing.SigningKeys.Signature.GPG_TRUSTED;
import static dev.orch.testing.SigningKeys.Signature.GPG_UNTRUSTED;
import static dev.orch.testing.SigningKeys.Signature.NONE;
import static dev.orch.testing.SigningKeys.Signature.SSH_TRUSTED;
import static dev.orch.testing.SigningKeys.Signature.SSH_UNTRUSTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.SigningKeys;
import dev.orch.testing.SystemdNamespace;
import dev.orch.testing.WebApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signed commits end to end: keys made by {@code gpg} and {@code ssh-keygen}, commits signed by the {@code git}
 * command and pushed to a bare repository, the packaged orchd with {@code verify=true} on real systemd. A trusted tip
 * is deployed; an untrusted or unsigned tip is refused while the running app stays untouched; a force-push back to an
 * older signed commit is refused until {@code orchctl source reset}.
 */
class SignedCommitsIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();

    OrchdOnSystemd orch;
    SigningKeys keys;
    WebApp web;
    Path bare;
    Path work;
    String v1;

    @BeforeEach
    void start() throws Exception {
        orch = new OrchdOnSystemd(SYSTEMD);
        web = new WebApp(orch.dir());
        keys = new SigningKeys(orch.dir().resolve("keys"));
        bare = orch.dir().resolve("apps.git");
        work = orch.dir().resolve("work");
        keys.run(orch.dir(), "git", "init", "-q", "--bare", "-b", "main", bare.toString());
        keys.run(orch.dir(), "git", "clone", "-q", bare.toString(), work.toString());
        orch.env("ORCH_GIT_REPOS_APPS_URL", bare.toUri().toString())
                .env("ORCH_GIT_REPOS_APPS_PATH", "apps")
                .env("ORCH_GIT_REPOS_APPS_POLL", "1h") // only orchctl sync fetches: each step is one decision
                .env("ORCH_GIT_REPOS_APPS_VERIFY", "true")
                .env("ORCH_GIT_REPOS_APPS_TRUSTED_KEYS", keys.trustedGpgKey().toString())
                .env("ORCH_GIT_REPOS_APPS_ALLOWED_SIGNERS_FILE", keys.allowedSigners().toString());
        v1 = push("v1", GPG_TRUSTED); // there before orchd starts: its first sync deploys it
        orch.start();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            orch.orchctl("delete", "app", "web", "--force-conflicts");
            await().atMost(Duration.ofSeconds(30)).until(() -> SYSTEMD.exec("systemctl", "list-units", "--all", "--no-legend", "orch-web-*").stdout().isBlank());
        } finally {
            try {
                orch.close();
            } finally {
                keys.close();
            }
        }
    }

    @Test
    void onlyTrustedTipsAreDeployedAndARollbackWaitsForAReset() throws Exception {
        // 1. a tip signed by the trusted OpenPGP key: deployed, the signer in status and audit
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> web.get().contains("\"version\": \"v1\""));
        assertThat(sources()).contains("\"type\":\"SourceVerified\",\"status\":\"True\",\"reason\":\"Verified\"", "\"commit\":\"" + v1 + "\"",
                "\"signer\":\"Trusted Dev <trusted@example.com>\"");
        assertThat(orch.orchctl("audit", "--app", "web").stdout()).contains("signed by Trusted Dev <trusted@example.com>");
        String blue = orch.unitProperty("orch-web-blue-0.service", "InvocationID");
        String blueSince = orch.unitProperty("orch-web-blue-0.service", "ActiveEnterTimestampMonotonic");

        // 2. a tip signed by a key nobody trusted: refused, v1 keeps running untouched
        String evil = push("v2", GPG_UNTRUSTED);
        OrchDist.Result refused = orch.orchctl("sync");
        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(1);
        assertThat(refused.stdout()).contains("apps: failed, still at main@sha1:" + v1.substring(0, 12) + ": refusing main@sha1:" + evil,
                "is signed by key ", "which is not a trusted key");
        assertThat(sources()).contains("\"ready\":\"False\"", "\"reason\":\"VerificationFailed\"",
                "\"type\":\"SourceVerified\",\"status\":\"False\",\"reason\":\"UntrustedSigner\"", "\"commit\":\"" + evil + "\"");
        assertThat(orch.metrics()).contains("orch_git_verification_failures_total{reason=\"UntrustedSigner\",repo=\"apps\"} 1.0");

        // 3. an unsigned tip on top: refused too
        String unsigned = push("v2", NONE);
        assertThat(orch.orchctl("sync").exitCode()).isEqualTo(1);
        assertThat(sources()).contains("\"type\":\"SourceVerified\",\"status\":\"False\",\"reason\":\"Unsigned\"", "\"commit\":\"" + unsigned + "\"");
        assertThat(orch.metrics()).contains("orch_git_verification_failures_total{reason=\"Unsigned\",repo=\"apps\"} 1.0");
        assertThat(web.get()).contains("\"version\": \"v1\"", "\"color\": \"blue\"");
        assertThat(orch.unitProperty("orch-web-blue-0.service", "InvocationID")).isEqualTo(blue);
        assertThat(orch.unitProperty("orch-web-blue-0.service", "ActiveEnterTimestampMonotonic")).isEqualTo(blueSince);
        assertThat(orch.orchctl("get", "app", "web", "-o", "yaml").stdout()).contains("revision: main@sha1:" + v1);

        // 4. a tip signed by the trusted ssh key: deployed
        String v3 = push("v3", SSH_TRUSTED);
        OrchDist.Result ssh = orch.orchctl("sync");
        assertThat(ssh.exitCode()).as("%s", ssh).isZero();
        assertThat(ssh.stdout()).contains("apps: synced main@sha1:" + v3.substring(0, 12), "signed by " + SigningKeys.SSH_PRINCIPAL);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> web.get().contains("\"version\": \"v3\""));

        // 5. an untrusted ssh key: refused, v3 keeps serving
        String sshEvil = push("v4", SSH_UNTRUSTED);
        assertThat(orch.orchctl("sync").exitCode()).isEqualTo(1);
        assertThat(sources()).contains("\"reason\":\"UntrustedSigner\"", "\"commit\":\"" + sshEvil + "\"", "\"signer\":\"key SHA256:");
        assertThat(web.get()).contains("\"version\": \"v3\"");

        // 6. a force-push back to the older, validly signed v1: refused until the operator resets
        keys.run(work, "git", "push", "-q", "--force", "origin", v1 + ":main");
        OrchDist.Result rewritten = orch.orchctl("sync");
        assertThat(rewritten.exitCode()).isEqualTo(1);
        assertThat(rewritten.stdout()).contains("was rewritten (force-push)", "orchctl source reset apps");
        assertThat(sources()).contains("\"reason\":\"HistoryRewritten\"");
        assertThat(web.get()).contains("\"version\": \"v3\"");
        OrchDist.Result reset = orch.orchctl("source", "reset", "apps");
        assertThat(reset.exitCode()).as("%s", reset).isZero();
        assertThat(reset.stdout()).contains("apps: synced main@sha1:" + v1.substring(0, 12), "1 (web) changed");
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> web.get().contains("\"version\": \"v1\""));
        assertThat(sources()).contains("\"ready\":\"True\"", "\"reason\":\"Synced\"");
        assertThat(orch.orchctl("sync").stdout()).contains("apps: unchanged main@sha1:" + v1.substring(0, 12));
        assertThat(orch.orchctl("source", "reset", "nope").stderr()).contains("no git repository named \"nope\"");
    }

    /** Writes web at {@code version}, commits signed as asked, pushes; the commit. */
    String push(String version, SigningKeys.Signature sig) throws Exception {
        Files.createDirectories(work.resolve("apps"));
        Files.writeString(work.resolve("apps/web.yaml"), Files.readString(web.manifest(version, WebApp.READY_ON_HEALTHZ, 60)));
        String c = keys.commit(work, "web " + version, sig);
        keys.run(work, "git", "push", "-q", "origin", "main");
        return c;
    }

    String sources() throws Exception {
        return keys.run(orch.dir(), "curl", "-s", "--unix-socket", orch.stateDir().resolve("orchd.sock").toString(), "http://localhost/api/v1/sources");
    }

}
