package dev.orch.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code orchctl logs web -f --tail 0}: a request made while it follows shows up as a new line, with either driver. */
public final class LogsFollow {
    private LogsFollow() {}

    public static void assertFollows(OrchDist dist, WebApp web, String marker) throws Exception {
        Process follow = dist.orchctlProcess("logs", "web", "-f", "--tail", "0").redirectErrorStream(true).start();
        List<String> seen = new ArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    synchronized (seen) {
                        seen.add(l);
                    }
                }
            } catch (java.io.IOException ignored) {
                // process stopped
            }
        });
        try {
            HttpClient http = HttpClient.newHttpClient();
            String path = "/follow-" + marker;
            // keep asking until a line shows: the follower may not have opened its source at the first request
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.port() + path)).build(), HttpResponse.BodyHandlers.discarding());
                synchronized (seen) {
                    return seen.stream().anyMatch(l -> l.startsWith("[") && l.contains("GET " + path + " HTTP/1.1"));
                }
            });
        } finally {
            follow.destroy();
            follow.waitFor();
            reader.join();
        }
    }
}
