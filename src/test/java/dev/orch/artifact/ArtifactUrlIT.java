package dev.orch.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.orch.cli.ProcessDaemon;
import dev.orch.testing.HttpLoad;
import dev.orch.testing.TestCa;
import dev.orch.testing.WebApp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifacts by URL end to end: an HTTPS server of the test's own CA (trusted through orch.artifacts.ca-bundle,
 * not the JVM's trust store) serves releases of the README's hello app to a real orchd (process driver).
 */
class ArtifactUrlIT {
    @TempDir
    Path dir;
    HttpsServer server;
    WebApp web;
    /** Release bodies by URL path. */
    final Map<String, byte[]> releases = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    @BeforeEach
    void serve() throws Exception {
        web = new WebApp(dir);
        TestCa ca = TestCa.create(dir.resolve("ca"));
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ca.serverContext()));
        server.createContext("/", this::answer);
        server.start();
        Files.copy(ca.caPem(), dir.resolve("trusted-ca.pem"));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        int n = requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        byte[] body = releases.get(path);
        if (body == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        if (path.startsWith("/private/") && !"Bearer s3cret".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.sendResponseHeaders(401, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(200, body.length);
        OutputStream out = ex.getResponseBody();
        if (path.startsWith("/cut/") && n == 1) {
            // the first download stops half way: the connection closes before the announced length
            out.write(body, 0, body.length / 2);
            out.flush();
            out.close(); // throws (fewer bytes than announced): the server drops the connection
            return;
        }
        out.write(body);
        out.close();
    }

    private byte[] release(String version) throws IOException {
        return (Files.readString(web.hello()) + "\n# release " + version + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Manifest {@code version} whose artifact is {@code https://.../<urlPath>} with digest {@code sha}. */
    private Path manifest(String version, String urlPath, String sha, String extraArtifactLines) throws IOException {
        Path f = web.manifest(version, WebApp.READY_ON_HEALTHZ, 60);
        String url = "https://127.0.0.1:" + server.getAddress().getPort() + urlPath;
        String text = Files.readString(f).replace("      path: " + web.hello() + "\n",
                "      url: " + url + "\n      sha256: " + sha + "\n" + extraArtifactLines);
        assertThat(text).contains("url: " + url);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void urlArtifactsAreDownloadedVerifiedAndRolledOut() throws Exception {
        byte[] v1 = release("v1");
        byte[] v2 = release("v2");
        releases.put("/v1/hello.py", v1);
        releases.put("/v2/hello.py", v2);
        Map<String, String> env = Map.of("ORCH_ARTIFACTS_CA_BUNDLE", dir.resolve("trusted-ca.pem").toString());
        try (ProcessDaemon orchd = ProcessDaemon.start(dir, env, "")) {
            orchd.ok("apply", "-f", manifest("v1", "/v1/hello.py", sha256(v1), "").toString());
            assertThat(orchd.ok("rollout", "status", "web", "--timeout", "90s")).contains("revision 1 is live in blue");
            assertThat(web.get()).contains("\"version\": \"v1\"");
            Path stored = orchd.state().resolve("artifacts/sha256/" + sha256(v1) + "/hello.py");
            assertThat(stored).hasBinaryContent(v1);

            try (HttpLoad load = new HttpLoad(web.uri(), 4)) {
                orchd.ok("apply", "-f", manifest("v2", "/v2/hello.py", sha256(v2), "").toString());
                assertThat(orchd.ok("rollout", "status", "web", "--timeout", "90s")).contains("revision 2 is live in green");
                await().atMost(Duration.ofSeconds(10)).until(() -> web.get().contains("\"version\": \"v2\""));
                assertThat(load.failures()).as("failed requests while v2 rolled out").isEmpty();
                assertThat(load.ok()).isPositive();
            }

            // a wrong digest: blocked with the URL and both digests; the live color keeps serving, nothing kept
            String claimed = sha256(release("v3"));
            orchd.ok("apply", "-f", manifest("v3", "/v1/hello.py", claimed, "").toString());
            String url = "https://127.0.0.1:" + server.getAddress().getPort() + "/v1/hello.py";
            awaitDescribe(orchd, "Degraded\\s+True\\s+ArtifactDownloadFailed\\s+\\S+\\s+download " + quote(url)
                    + ": sha256 mismatch: expected " + claimed + ", got " + sha256(v1) + " \\(the download was discarded\\)");
            assertThat(web.get()).contains("\"version\": \"v2\"").contains("\"color\": \"green\"");
            assertThat(orchd.state().resolve("artifacts/sha256/" + claimed)).satisfiesAnyOf(
                    p -> assertThat(p).doesNotExist(), p -> assertThat(regularFiles(p)).isEmpty());
            assertThat(orchd.ok("get", "app", "web", "-o", "json")).contains("\"live\" : \"green\"");

            // cut off half way: retried, and the half-written file never ran
            byte[] v4 = release("v4");
            releases.put("/cut/hello.py", v4);
            orchd.ok("apply", "-f", manifest("v4", "/cut/hello.py", sha256(v4), "").toString());
            assertThat(orchd.ok("rollout", "status", "web", "--timeout", "90s")).contains("is live in blue");
            assertThat(web.get()).contains("\"version\": \"v4\"");
            assertThat(requests.get("/cut/hello.py").get()).as("downloads of the cut-off release").isGreaterThanOrEqualTo(2);
            assertThat(regularFiles(orchd.state().resolve("artifacts/sha256/" + sha256(v4)))).containsExactly("hello.py");

            // credentials: 401 without them, downloaded with a token read from a file
            byte[] v5 = release("v5");
            releases.put("/private/hello.py", v5);
            orchd.ok("apply", "-f", manifest("v5", "/private/hello.py", sha256(v5), "").toString());
            String priv = "https://127.0.0.1:" + server.getAddress().getPort() + "/private/hello.py";
            awaitDescribe(orchd, "ArtifactDownloadFailed\\s+\\S+\\s+download " + quote(priv) + ": HTTP 401 \\(credentials missing\\)");
            assertThat(web.get()).contains("\"version\": \"v4\"");
            Path token = Files.writeString(dir.resolve("artifact-token"), "s3cret\n");
            orchd.ok("apply", "-f", manifest("v5", "/private/hello.py", sha256(v5), "      auth:\n        bearerTokenFile: " + token + "\n").toString());
            assertThat(orchd.ok("rollout", "status", "web", "--timeout", "90s")).contains("is live in green");
            assertThat(web.get()).contains("\"version\": \"v5\"");

            String metrics = orchd.scrape();
            assertThat(metrics).contains("orch_artifact_downloads_total{result=\"success\"} 4.0");
            assertThat(metrics).containsPattern("orch_artifact_downloads_total\\{result=\"failure\"\\} [1-9][0-9]*\\.0");
            assertThat(metrics).containsPattern("orch_artifact_download_bytes_total [1-9][0-9.E]*");
        }
    }

    @Test
    void aServerTheBundleDoesNotTrustIsATlsFailure() throws Exception {
        byte[] v1 = release("v1");
        releases.put("/v1/hello.py", v1);
        try (ProcessDaemon orchd = ProcessDaemon.start(dir)) { // the JVM's trust store does not know the test CA
            orchd.ok("apply", "-f", manifest("v1", "/v1/hello.py", sha256(v1), "").toString());
            awaitDescribe(orchd, "ArtifactDownloadFailed\\s+\\S+\\s+download https://127\\.0\\.0\\.1:\\d+/v1/hello\\.py: TLS failure: ");
            assertThat(requests).doesNotContainKey("/v1/hello.py");
        }
    }

    private static String quote(String s) {
        return java.util.regex.Pattern.quote(s);
    }

    private static void awaitDescribe(ProcessDaemon orchd, String regex) {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        String[] last = {""};
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                    .until(() -> p.matcher(last[0] = orchd.ok("describe", "app", "web")).find());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("describe never matched " + regex + ":\n" + last[0], e);
        }
    }

    private static List<String> regularFiles(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
