package dev.orch.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.orch.cli.ProcessDaemon;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Release channels on a real orchd (process driver): an HTTP index page served by the test and a directory;
 * 1.2.0, then 1.3.0-rc.1 (passed over without opt-in, taken with it), then 1.3.0; removing 1.3.0 goes back.
 */
class ReleaseChannelIT {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    /** Published files by name (the index lists them, each with its .sha256). */
    final Map<String, byte[]> published = new ConcurrentHashMap<>();

    @Test
    void theNewestReleaseOfAChannelRollsOutByItself() throws Exception {
        WebApp web = new WebApp(dir);
        String base = Files.readString(web.hello());
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/releases/web/", ex -> {
            String name = ex.getRequestURI().getPath().substring("/releases/web/".length());
            byte[] body;
            if (name.isEmpty()) {
                StringBuilder html = new StringBuilder("<html><body><pre>\n");
                new TreeMap<>(published).keySet().forEach(n -> html.append("<a href=\"").append(n).append("\">").append(n)
                        .append("</a>\n<a href=\"").append(n).append(".sha256\">").append(n).append(".sha256</a>\n"));
                body = html.append("</pre></body></html>\n").toString().getBytes(StandardCharsets.UTF_8);
            } else if (name.endsWith(".sha256") && published.containsKey(name.substring(0, name.length() - 7))) {
                body = (sha256(published.get(name.substring(0, name.length() - 7))) + "  " + name + "\n").getBytes(StandardCharsets.UTF_8);
            } else {
                body = published.get(name);
            }
            ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            try (OutputStream out = ex.getResponseBody()) {
                if (body != null) {
                    out.write(body);
                }
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/releases/web/";
        try (ProcessDaemon orchd = ProcessDaemon.start(dir, Map.of("ORCH_ARTIFACTS_CHANNEL_POLL", "1s"), "")) {
            published.put("hello-1.2.0.py", release(base, "1.2.0"));
            orchd.ok("apply", "-f", channelManifest(web, "url: " + url, false).toString());
            assertThat(orchd.ok("rollout", "status", "web", "--timeout", "90s")).contains("revision 1 is live in blue");
            assertThat(liveVersion(orchd)).isEqualTo("1.2.0");
            assertThat(orchd.state().resolve("artifacts/sha256/" + sha256(published.get("hello-1.2.0.py")) + "/hello-1.2.0.py")).exists();

            published.put("hello-1.3.0-rc.1.py", release(base, "1.3.0-rc.1"));
            Thread.sleep(3000);
            assertThat(orchd.state().resolve("apps/web/revisions/2.json")).as("a pre-release without opt-in").doesNotExist();

            published.put("hello-1.3.0.py", release(base, "1.3.0"));
            awaitLive(orchd, "1.3.0");
            assertThat(orchd.ok("get", "app", "web", "-o", "yaml")).containsPattern("\\n  release: \"?1\\.3\\.0\"?\\n");
            assertThat(orchd.ok("describe", "app", "web")).contains("Release:     1.3.0 (sha256 " + sha256(published.get("hello-1.3.0.py")) + ")")
                    .containsPattern("REVISION\\s+HASH\\s+RELEASE\\s+SOURCE\\s+AGE\\n\\s+1\\s+\\S+\\s+1\\.2\\.0\\s+apply");

            published.remove("hello-1.3.0.py");
            awaitLive(orchd, "1.2.0"); // the newest removed: back to the one before

            orchd.ok("apply", "-f", channelManifest(web, "url: " + url, true).toString());
            awaitLive(orchd, "1.3.0-rc.1"); // staging takes pre-releases

            // a directory channel
            Path channel = Files.createDirectories(dir.resolve("channel"));
            publishFile(channel, "hello-2.0.0.py", release(base, "2.0.0"));
            orchd.ok("apply", "-f", channelManifest(web, "path: " + channel, false).toString());
            awaitLive(orchd, "2.0.0");
            publishFile(channel, "hello-2.1.0.py", release(base, "2.1.0"));
            awaitLive(orchd, "2.1.0");
            assertThat(web.get()).contains("\"version\": \"v1\"");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void syncLooksAtTheChannelsAtOnce() throws Exception {
        WebApp web = new WebApp(dir);
        String base = Files.readString(web.hello());
        // a git repository configured, so that orchctl sync has something to fetch; the channel is polled hourly
        Path bare = dir.resolve("apps.git");
        Path work = dir.resolve("work");
        git(dir, "init", "-q", "--bare", "-b", "main", bare.toString());
        git(dir, "clone", "-q", bare.toString(), work.toString());
        git(work, "-c", "user.name=Dev", "-c", "user.email=dev@example.com", "commit", "-q", "--allow-empty", "-m", "empty");
        git(work, "push", "-q", "origin", "HEAD:main");
        Path channel = Files.createDirectories(dir.resolve("channel"));
        publishFile(channel, "hello-1.0.0.py", release(base, "1.0.0"));
        Map<String, String> env = Map.of("ORCH_ARTIFACTS_CHANNEL_POLL", "1h", "ORCH_GIT_REPOS_APPS_URL", bare.toUri().toString(),
                "ORCH_GIT_REPOS_APPS_POLL", "1h");
        try (ProcessDaemon orchd = ProcessDaemon.start(dir, env, "")) {
            orchd.ok("apply", "-f", channelManifest(web, "path: " + channel, false).toString());
            assertThat(orchd.ok("rollout", "status", "web", "--timeout", "90s")).contains("revision 1 is live in blue");
            assertThat(liveVersion(orchd)).isEqualTo("1.0.0");
            publishFile(channel, "hello-1.1.0.py", release(base, "1.1.0"));
            Thread.sleep(3000);
            assertThat(orchd.state().resolve("apps/web/revisions/2.json")).as("no look at the channel before the hourly poll").doesNotExist();
            orchd.ok("sync");
            awaitLive(orchd, "1.1.0");
        }
    }

    private static void git(Path in, String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("git"));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).directory(in.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("git %s: %s", String.join(" ", args), out).isZero();
    }

    private static byte[] release(String base, String version) {
        return (base + "\n# release " + version + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void publishFile(Path channel, String name, byte[] body) throws Exception {
        Files.write(channel.resolve(name), body);
        Files.writeString(channel.resolve(name + ".sha256"), sha256(body) + "  " + name + "\n");
    }

    private Path channelManifest(WebApp web, String where, boolean preReleases) throws IOException {
        Path f = web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60);
        String text = Files.readString(f).replace("      path: " + web.hello() + "\n",
                "      channel:\n        " + where + "\n        pattern: hello-*.py\n        preReleases: " + preReleases + "\n");
        assertThat(text).contains("pattern: hello-*.py");
        Path out = dir.resolve("web-channel-" + Math.abs(where.hashCode()) + "-" + preReleases + ".yaml");
        Files.writeString(out, text);
        return out;
    }

    private static void awaitLive(ProcessDaemon orchd, String version) {
        String[] last = {""};
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> version.equals(last[0] = liveVersion(orchd)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("live version stayed " + last[0] + ", not " + version + "; describe:\n" + orchd.ok("describe", "app", "web"), e);
        }
    }

    /** The channel version of the revision the live color runs, from the state on disk. */
    private static String liveVersion(ProcessDaemon orchd) throws IOException {
        JsonNode actual = JSON.readTree(orchd.state().resolve("apps/web/actual.json").toFile());
        String live = actual.path("live").asText(null);
        if (live == null || actual.path(live).isMissingNode()) {
            return null;
        }
        int revision = actual.path(live).path("revision").asInt();
        JsonNode rev = JSON.readTree(orchd.state().resolve("apps/web/revisions/" + revision + ".json").toFile());
        return rev.path("artifactVersion").asText(null);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
