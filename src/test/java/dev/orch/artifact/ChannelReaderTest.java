package dev.orch.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.orch.manifest.ReleaseChannel;
import dev.orch.state.ArtifactStore;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channels as CI publishes them: a directory, an HTTP index page; sidecar digests or SHA256SUMS; semver order. */
class ChannelReaderTest {
    @TempDir
    Path dir;

    static String sha(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private ChannelReader reader() throws Exception {
        return new ChannelReader(HttpArtifactDownloader.withDefaults(new ArtifactStore(dir.resolve("store")))::text);
    }

    private void publish(Path channel, String name, boolean sidecar) throws Exception {
        Files.writeString(channel.resolve(name), "release " + name);
        if (sidecar) {
            Files.writeString(channel.resolve(name + ".sha256"), sha("release " + name) + "  " + name + "\n");
        }
    }

    @Test
    void aDirectoryChannelOffersItsHighestSemanticVersionWithADigest() throws Exception {
        Path ch = Files.createDirectories(dir.resolve("web"));
        publish(ch, "web-1.2.0.jar", true);
        publish(ch, "web-1.9.0.jar", true);
        publish(ch, "web-1.10.0.jar", true); // 1.10 > 1.9: not text order
        publish(ch, "web-2.0.0.jar", false); // no digest: passed over
        publish(ch, "web-1.11.0-rc.1.jar", true); // a pre-release: only when taken
        publish(ch, "api-9.0.0.jar", true); // another pattern
        publish(ch, "web-latest.jar", true); // not a version
        ReleaseChannel stable = new ReleaseChannel(ch.toString(), null, "web-*.jar", null);
        Release r = reader().newest(stable, null).orElseThrow();
        assertThat(r).isEqualTo(new Release("1.10.0", "web-1.10.0.jar", ch.resolve("web-1.10.0.jar").toUri(), sha("release web-1.10.0.jar")));
        assertThat(reader().newest(new ReleaseChannel(ch.toString(), null, "web-*.jar", true), null).orElseThrow().version()).isEqualTo("1.11.0-rc.1");

        Files.delete(ch.resolve("web-1.10.0.jar"));
        assertThat(reader().newest(stable, null).orElseThrow().version()).as("the newest removed: the one before it").isEqualTo("1.9.0");
    }

    @Test
    void aChecksumsFileGivesTheDigests() throws Exception {
        Path ch = Files.createDirectories(dir.resolve("sums"));
        publish(ch, "web-1.0.0.jar", false);
        publish(ch, "web-1.1.0.jar", false);
        Files.writeString(ch.resolve("SHA256SUMS"), sha("release web-1.0.0.jar") + "  web-1.0.0.jar\n"
                + sha("release web-1.1.0.jar") + " *web-1.1.0.jar\n");
        Release r = reader().newest(new ReleaseChannel(ch.toString(), null, "web-*.jar", null), null).orElseThrow();
        assertThat(r.version()).isEqualTo("1.1.0");
        assertThat(r.sha256()).isEqualTo(sha("release web-1.1.0.jar"));
    }

    @Test
    void anHttpIndexPageListsTheReleases() throws Exception {
        Map<String, String> files = new ConcurrentHashMap<>();
        List<String> asked = new CopyOnWriteArrayList<>();
        files.put("/releases/web/", """
                <html><body><h1>Index of /releases/web/</h1><pre><a href="../">../</a>
                <a href="web-1.2.0.jar">web-1.2.0.jar</a>     01-Dec-2026 10:00  12
                <a href="web-1.2.0.jar.sha256">web-1.2.0.jar.sha256</a>
                <a href='/releases/web/web-1.3.0.jar'>web-1.3.0.jar</a>
                <a href="web-1.3.0.jar.sha256">web-1.3.0.jar.sha256</a>
                <a href="web-1.4.0-rc.1.jar">web-1.4.0-rc.1.jar</a>
                <a href="web-1.4.0-rc.1.jar.sha256">web-1.4.0-rc.1.jar.sha256</a>
                </pre></body></html>""");
        files.put("/releases/web/web-1.3.0.jar.sha256", sha("release web-1.3.0.jar") + "  web-1.3.0.jar\n");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            asked.add(ex.getRequestURI().getPath());
            String body = files.get(ex.getRequestURI().getPath());
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(body == null ? 404 : 200, b.length == 0 ? -1 : b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/releases/web";
            Release r = reader().newest(new ReleaseChannel(null, base, "web-*.jar", null), null).orElseThrow();
            assertThat(r).isEqualTo(new Release("1.3.0", "web-1.3.0.jar", java.net.URI.create(base + "/web-1.3.0.jar"), sha("release web-1.3.0.jar")));
            assertThat(asked).as("only the index and the winner's digest are read").containsExactly("/releases/web/", "/releases/web/web-1.3.0.jar.sha256");
            assertThatThrownBy(() -> reader().newest(new ReleaseChannel(null, base + "/gone", "web-*.jar", null), null))
                    .hasMessage("read channel " + base + "/gone: HTTP 404");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aMissingDirectoryIsNamed() {
        assertThatThrownBy(() -> reader().newest(new ReleaseChannel("/nonexistent/releases", null, "web-*.jar", null), null))
                .hasMessage("read channel /nonexistent/releases: no such directory");
    }

    @Test
    void refreshAllLooksAtEveryChannelAtOnce() throws Exception {
        Path ch = Files.createDirectories(dir.resolve("live"));
        publish(ch, "web-1.0.0.jar", true);
        List<String> woken = new CopyOnWriteArrayList<>();
        try (ReleaseChannels channels = new ReleaseChannels(reader(), woken::add)) {
            channels.start(java.time.Duration.ofHours(1)); // no poll during the test: only the calls below look
            channels.follow("web", new ReleaseChannel(ch.toString(), null, "web-*.jar", null), null);
            org.awaitility.Awaitility.await().until(() -> channels.current("web").isPresent());
            assertThat(channels.current("web").map(Release::version)).contains("1.0.0");
            publish(ch, "web-1.1.0.jar", true);
            woken.clear();
            channels.refreshAll();
            org.awaitility.Awaitility.await().until(() -> channels.current("web").map(Release::version).equals(Optional.of("1.1.0")));
            assertThat(woken).containsExactly("web");

            // unreadable: the last release stays, the problem is named
            Files.walk(ch).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            channels.refreshAll();
            org.awaitility.Awaitility.await().until(() -> channels.problem("web").isPresent());
            assertThat(channels.problem("web")).contains("read channel " + ch + ": no such directory");
            assertThat(channels.current("web").map(Release::version)).contains("1.1.0");

            // a channel with nothing matching
            Path empty = Files.createDirectories(dir.resolve("empty"));
            channels.follow("api", new ReleaseChannel(empty.toString(), null, "api-*.jar", null), null);
            org.awaitility.Awaitility.await().until(() -> channels.problem("api").isPresent());
            assertThat(channels.problem("api")).contains("no release matches api-*.jar (pre-releases are not taken) with a sha256");
            assertThat(channels.current("api")).isEmpty();
        }
    }
}
