package dev.orch.smoke;

import dev.orch.manifest.SmokeCheck;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;

/**
 * Smoke checks over real HTTP/1.1 with the JDK's client: a fresh request per check, no redirects followed (a
 * check may expect a 3xx), no body sent, the answer's body read and dropped.
 */
public final class HttpSmokeClient implements SmokeClient {
    private final HttpClient http;

    public HttpSmokeClient() {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(SmokeCheck.MAX_TIMEOUT_SECONDS)).build();
    }

    @Override
    public SmokeReport send(List<SmokeCheck> checks, List<SmokeTarget> targets) {
        int sent = 0;
        for (SmokeCheck c : checks) {
            for (SmokeTarget t : targets) {
                sent++;
                String failure = one(c, t);
                if (failure != null) {
                    return new SmokeReport(sent, c.describe() + " via " + t.via() + ": " + failure);
                }
            }
        }
        return new SmokeReport(sent, null);
    }

    /** Why the answer was not the expected one; null when it was. */
    private String one(SmokeCheck c, SmokeTarget t) {
        String host = t.host().contains(":") ? "[" + t.host() + "]" : t.host();
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + t.port() + c.path()))
                    .timeout(Duration.ofSeconds(c.timeoutSeconds()))
                    .method(c.method(), HttpRequest.BodyPublishers.noBody())
                    .header("User-Agent", "orch-smoke/1");
            c.headers().forEach(h -> b.header(h.name(), h.value()));
        } catch (IllegalArgumentException e) {
            return "cannot be sent: " + e.getMessage();
        }
        try {
            HttpResponse<Void> answer = http.send(b.build(), HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() == c.expectStatus() ? null : "expected status " + c.expectStatus() + ", got " + answer.statusCode();
        } catch (HttpConnectTimeoutException e) {
            return "expected status " + c.expectStatus() + ", got no connection within " + c.timeoutSeconds() + "s";
        } catch (HttpTimeoutException e) {
            return "expected status " + c.expectStatus() + ", got no answer within " + c.timeoutSeconds() + "s";
        } catch (ConnectException e) {
            return "expected status " + c.expectStatus() + ", got connection refused";
        } catch (IOException e) {
            return "expected status " + c.expectStatus() + ", got " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
