package dev.orch.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.orch.manifest.Artifact;
import dev.orch.manifest.ArtifactAuth;
import dev.orch.state.ArtifactStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a real HTTP server on loopback: proxy, redirects, credentials, digests, file URLs. */
class HttpArtifactDownloaderTest {
    static final byte[] RELEASE = "release 1.4.2\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    HttpServer server;
    /** Request line and Authorization header of every request the server got. */
    final List<String> seen = new CopyOnWriteArrayList<>();
    ArtifactStore store;
    final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    final AtomicLong okBytes = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final DownloadMeter meter = new DownloadMeter() {
        @Override
        public void succeeded(long bytes) {
            okBytes.addAndGet(bytes);
        }

        @Override
        public void failed(long bytes) {
            failures.incrementAndGet();
        }
    };

    @BeforeEach
    void serve() throws IOException {
        store = new ArtifactStore(dir.resolve("store"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/app.jar" -> answer(ex, 200, RELEASE);
                case "/private/app.jar" -> answer(ex, "Bearer s3cret".equals(ex.getRequestHeaders().getFirst("Authorization")) ? 200 : 401,
                        RELEASE);
                case "/basic/app.jar" -> answer(ex, "Basic YWxpY2U6cHc=".equals(ex.getRequestHeaders().getFirst("Authorization")) ? 200 : 401,
                        RELEASE);
                case "/moved/app.jar" -> {
                    // to another origin (localhost is not 127.0.0.1 by name): the token must not follow
                    ex.getResponseHeaders().add("Location", "http://localhost:" + port() + "/app.jar");
                    answer(ex, 302, new byte[0]);
                }
                case "/loop/app.jar" -> {
                    ex.getResponseHeaders().add("Location", "/loop/app.jar");
                    answer(ex, 302, new byte[0]);
                }
                case "/stall/app.jar" -> {
                    // half the body, then nothing while the connection stays open
                    ex.sendResponseHeaders(200, RELEASE.length);
                    ex.getResponseBody().write(RELEASE, 0, RELEASE.length / 2);
                    ex.getResponseBody().flush();
                    try {
                        released.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ex.close();
                }
                default -> answer(ex, 404, "no such release".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        released.countDown();
        server.stop(0);
    }

    int port() {
        return server.getAddress().getPort();
    }

    static void answer(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    HttpArtifactDownloader downloader(Optional<URI> proxy) throws IOException {
        return new HttpArtifactDownloader(store, new DownloadSettings(Optional.empty(), proxy, Duration.ofSeconds(5), Duration.ofSeconds(1)), meter);
    }

    @Test
    void aBodyThatStopsArrivingIsAbandonedAfterTheResponseTimeout() throws Exception {
        String url = "http://127.0.0.1:" + port() + "/stall/app.jar";
        assertThatThrownBy(() -> downloader(Optional.empty()).download(new Artifact(null, url, sha256(RELEASE), null), "app.jar"))
                .hasMessage("download " + url + ": no data for 1 s after " + RELEASE.length / 2 + " bytes (stalled)");
        assertThat(store.has(sha256(RELEASE), "app.jar")).isFalse();
    }

    @Test
    void downloadsVerifiesAndStoresOnce() throws Exception {
        Artifact a = new Artifact(null, "http://127.0.0.1:" + port() + "/app.jar", sha256(RELEASE), null);
        Path copy = downloader(Optional.empty()).download(a, "app.jar");
        assertThat(copy).isEqualTo(store.pathFor(sha256(RELEASE), "app.jar")).hasBinaryContent(RELEASE);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(copy))).isEqualTo("r--r--r--");
        downloader(Optional.empty()).download(a, "app.jar");
        assertThat(seen).as("the verified copy is not fetched again").hasSize(1);
        assertThat(okBytes.get()).isEqualTo(RELEASE.length);
    }

    @Test
    void aDigestMismatchNamesTheUrlAndBothDigestsAndKeepsNothing() throws Exception {
        String wrong = "0".repeat(64);
        String url = "http://127.0.0.1:" + port() + "/app.jar";
        assertThatThrownBy(() -> downloader(Optional.empty()).download(new Artifact(null, url, wrong, null), "app.jar"))
                .isInstanceOf(DownloadException.class)
                .hasMessage("download " + url + ": sha256 mismatch: expected " + wrong + ", got " + sha256(RELEASE) + " (the download was discarded)");
        try (Stream<Path> files = Files.walk(store.pathFor(wrong, "app.jar").getParent())) {
            assertThat(files.filter(Files::isRegularFile)).as("no copy and no temporary file left").isEmpty();
        }
        assertThat(failures.get()).isEqualTo(1);
    }

    @Test
    void httpErrorsAreNamed() throws Exception {
        String url = "http://127.0.0.1:" + port() + "/gone.jar";
        assertThatThrownBy(() -> downloader(Optional.empty()).download(new Artifact(null, url, sha256(RELEASE), null), "gone.jar"))
                .hasMessage("download " + url + ": HTTP 404");
        String priv = "http://127.0.0.1:" + port() + "/private/app.jar";
        assertThatThrownBy(() -> downloader(Optional.empty()).download(new Artifact(null, priv, sha256(RELEASE), null), "app.jar"))
                .hasMessage("download " + priv + ": HTTP 401 (credentials missing)");
    }

    @Test
    void bearerAndBasicCredentialsComeFromFiles() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "s3cret\n");
        Path wrongToken = Files.writeString(dir.resolve("wrong"), "guess\n");
        Path basic = Files.writeString(dir.resolve("basic"), "alice:pw\n");
        String priv = "http://127.0.0.1:" + port() + "/private/app.jar";
        assertThatThrownBy(() -> downloader(Optional.empty())
                .download(new Artifact(null, priv, sha256(RELEASE), new ArtifactAuth(wrongToken.toString(), null)), "app.jar"))
                .hasMessage("download " + priv + ": HTTP 401 (credentials refused)");
        assertThat(downloader(Optional.empty())
                .download(new Artifact(null, priv, sha256(RELEASE), new ArtifactAuth(token.toString(), null)), "app.jar")).hasBinaryContent(RELEASE);
        Files.delete(store.pathFor(sha256(RELEASE), "app.jar"));
        assertThat(downloader(Optional.empty()).download(new Artifact(null, "http://127.0.0.1:" + port() + "/basic/app.jar", sha256(RELEASE),
                new ArtifactAuth(null, basic.toString())), "app.jar")).hasBinaryContent(RELEASE);
    }

    @Test
    void credentialsDoNotFollowARedirectToAnotherOrigin() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "s3cret");
        String url = "http://127.0.0.1:" + port() + "/moved/app.jar";
        downloader(Optional.empty()).download(new Artifact(null, url, sha256(RELEASE), new ArtifactAuth(token.toString(), null)), "app.jar");
        assertThat(seen).containsExactly("GET /moved/app.jar auth=Bearer s3cret", "GET /app.jar auth=null");
    }

    @Test
    void redirectsAreFollowedAtMostFiveTimes() throws Exception {
        String url = "http://127.0.0.1:" + port() + "/loop/app.jar";
        assertThatThrownBy(() -> downloader(Optional.empty()).download(new Artifact(null, url, sha256(RELEASE), null), "app.jar"))
                .hasMessage("download " + url + ": more than 5 redirects");
        assertThat(seen).hasSize(6);
    }

    @Test
    void anHttpsUrlNeverRedirectsToPlainHttp() throws Exception {
        dev.orch.testing.TestCa ca = dev.orch.testing.TestCa.create(dir.resolve("ca"));
        com.sun.net.httpserver.HttpsServer tls = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tls.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(ca.serverContext()));
        tls.createContext("/", ex -> {
            ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + port() + "/app.jar");
            answer(ex, 301, new byte[0]);
        });
        tls.start();
        try {
            String url = "https://127.0.0.1:" + tls.getAddress().getPort() + "/app.jar";
            HttpArtifactDownloader d = new HttpArtifactDownloader(store,
                    new DownloadSettings(Optional.of(ca.caPem()), Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(5)), meter);
            assertThatThrownBy(() -> d.download(new Artifact(null, url, sha256(RELEASE), null), "app.jar"))
                    .hasMessage("download " + url + ": refused a redirect from https to http://127.0.0.1:" + port() + "/app.jar");
            assertThat(seen).as("the plain-http server was never asked").isEmpty();
        } finally {
            tls.stop(0);
        }
    }

    @Test
    void theConfiguredProxyCarriesEveryDownload() throws Exception {
        // the host does not exist: only the proxy (our server, which answers absolute-form requests) can serve it
        String url = "http://releases.orch.invalid/app.jar";
        Path copy = downloader(Optional.of(URI.create("http://127.0.0.1:" + port())))
                .download(new Artifact(null, url, sha256(RELEASE), null), "app.jar");
        assertThat(copy).hasBinaryContent(RELEASE);
        assertThat(seen).containsExactly("GET " + url + " auth=null");
    }

    @Test
    void aFullDiskFailsTheDownloadAndLeavesNothingBehind() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        org.junit.jupiter.api.Assumptions.assumeTrue(root || System.getenv("CI") != null, "mounting a small tmpfs needs root");
        Path small = Files.createDirectories(dir.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", small.toString()).inheritIO().start();
        assertThat(mount.waitFor()).as("mount a 64 KiB tmpfs").isZero();
        try {
            byte[] big = new byte[256 * 1024];
            new java.util.Random(7).nextBytes(big);
            server.createContext("/big.jar", ex -> answer(ex, 200, big));
            ArtifactStore full = new ArtifactStore(small.resolve("artifacts"));
            HttpArtifactDownloader d = new HttpArtifactDownloader(full, new DownloadSettings(Optional.empty(), Optional.empty(),
                    Duration.ofSeconds(5), Duration.ofSeconds(5)), meter);
            String url = "http://127.0.0.1:" + port() + "/big.jar";
            assertThatThrownBy(() -> d.download(new Artifact(null, url, sha256(big), null), "big.jar"))
                    .hasMessage("download " + url + ": No space left on device");
            try (Stream<Path> files = Files.walk(small)) {
                assertThat(files.filter(Files::isRegularFile)).as("no partial file left").isEmpty();
            }
        } finally {
            new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor();
        }
    }

    @Test
    void fileUrlsAreCopiedAndVerified() throws Exception {
        Path release = Files.write(dir.resolve("app-1.4.2.jar"), RELEASE);
        assertThat(downloader(Optional.empty()).download(new Artifact(null, release.toUri().toString(), sha256(RELEASE), null), "app-1.4.2.jar"))
                .hasBinaryContent(RELEASE);
        String missing = dir.resolve("nope.jar").toUri().toString();
        assertThatThrownBy(() -> downloader(Optional.empty()).download(new Artifact(null, missing, sha256(RELEASE), null), "nope.jar"))
                .hasMessage("download " + missing + ": no such file");
    }
}
