package dev.orch.source;

import static dev.orch.source.TestRepo.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.state.StateStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Git over https with basic auth and with a token, against git's own smart-HTTP server (git http-backend)
 * behind TLS with a certificate the JVM trusts; a wrong password is an authentication failure that changes
 * nothing.
 */
class GitHttpIT {
    @TempDir
    static Path tmp;

    static Process server;
    static javax.net.ssl.SSLSocketFactory previousFactory;
    static int port;
    static TestRepo remote;

    @BeforeAll
    static void startServer() throws Exception {
        remote = new TestRepo(tmp.resolve("repos/remote"));
        remote.write("apps/web.yaml", manifest("web", 8080, "v1")).commit("first");
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", tmp.resolve("key.pem").toString(), "-out", tmp.resolve("cert.pem").toString());
        Path trust = tmp.resolve("trust.p12");
        run(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt", "-alias", "test-git",
                "-file", tmp.resolve("cert.pem").toString(), "-keystore", trust.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
        // orchd trusts what the JVM trusts (JGit uses HttpsURLConnection's defaults); here that is the test
        // server's certificate. Set directly, not through javax.net.ssl.* properties: another test in this
        // JVM may have initialised the default context already.
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(trust)) {
            ks.load(in, "changeit".toCharArray());
        }
        var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        var ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        previousFactory = javax.net.ssl.HttpsURLConnection.getDefaultSSLSocketFactory();
        javax.net.ssl.HttpsURLConnection.setDefaultSSLSocketFactory(ctx.getSocketFactory());
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path script = tmp.resolve("git-http-server.py");
        try (var in = GitHttpIT.class.getResourceAsStream("/git/git-http-server.py")) {
            Files.copy(in, script);
        }
        server = new ProcessBuilder("python3", script.toString(), Integer.toString(port), tmp.resolve("repos").toString(), "deployer", "s3cret",
                tmp.resolve("cert.pem").toString(), tmp.resolve("key.pem").toString())
                .redirectError(tmp.resolve("server.log").toFile()).start();
        String ready = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(ready).as("server log: %s", Files.readString(tmp.resolve("server.log"))).isEqualTo("ready");
    }

    @AfterAll
    static void stopServer() throws InterruptedException {
        if (previousFactory != null) {
            javax.net.ssl.HttpsURLConnection.setDefaultSSLSocketFactory(previousFactory);
        }
        if (remote != null) {
            remote.close();
        }
        if (server != null) {
            server.destroy();
            server.waitFor();
        }
    }

    static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", List.of(argv), out).isZero();
    }

    RepoStatus lastStatus;
    StateStore lastStore;

    SyncResult syncWith(String name, String user, Path passwordFile, Path tokenFile) throws IOException {
        StateStore store = new StateStore(tmp.resolve("state-" + name));
        GitRepoSpec spec = new GitRepoSpec(name, "https://127.0.0.1:" + port + "/remote", "main", "apps", null, tokenFile, user,
                passwordFile, null, null, null, null);
        try (GitSources sources = new GitSources(List.of(spec), store, new RecordingEvents().intake(store), Clock.systemUTC(), new SimpleMeterRegistry())) {
            SyncResult r = sources.syncNow(List.of()).get(0);
            lastStatus = sources.statuses().get(0);
            lastStore = store;
            return r;
        }
    }

    Path secret(String name, String value) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, value + "\n");
        return f;
    }

    @Test
    void basicAuthFetchesOverHttps() throws Exception {
        SyncResult r = syncWith("basic", "deployer", secret("password", "s3cret"), null);
        assertThat(r.result()).as("%s %s", r, lastStatus).isEqualTo(SyncResult.SYNCED);
        assertThat(r.added()).containsExactly("web");
        assertThat(lastStatus.url()).doesNotContain("s3cret");
    }

    @Test
    void aTokenFetchesOverHttps() throws Exception {
        SyncResult r = syncWith("token", "deployer", null, secret("token", "s3cret"));
        assertThat(r.result()).as("%s %s", r, lastStatus).isEqualTo(SyncResult.SYNCED);
    }

    @Test
    void aWrongPasswordIsAnAuthenticationFailure() throws Exception {
        SyncResult r = syncWith("wrong", "deployer", secret("wrong-password", "guess"), null);
        assertThat(r.result()).isEqualTo(SyncResult.FAILED);
        assertThat(lastStatus.reason()).as("%s", lastStatus).isEqualTo("AuthenticationFailed");
        assertThat(lastStore.readDesired("web")).isEmpty();
        assertThat(String.join(" ", new ArrayList<>(List.of(lastStatus.message())))).doesNotContain("guess");
    }
}
