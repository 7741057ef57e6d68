package dev.orch.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** POSTs one JSON body; the adapter between a receiver and the network. */
interface Poster {
    /** @return the HTTP status; throws on a connection failure */
    int post(URI url, Map<String, String> headers, byte[] body, Duration timeout) throws IOException, InterruptedException;

    /** The JDK's client, created once per daemon (not in a static initialiser: GraalVM native). */
    static Poster jdk() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
        return (url, headers, body, timeout) -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
                    .header("User-Agent", "orchd").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(b::header);
            return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        };
    }
}
