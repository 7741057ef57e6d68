package dev.orch.smoke;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.orch.manifest.Probe;
import dev.orch.manifest.SmokeCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real smoke client against real loopback HTTP servers. */
class HttpSmokeClientTest {
    final HttpSmokeClient client = new HttpSmokeClient();
    final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    HttpServer a;
    HttpServer b;

    /** Answers {@code /smoke} with {@code status}, {@code /slow} after 3 s, {@code /moved} with a 302; records what it got. */
    HttpServer server(String name, int status) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", ex -> {
            seen.add(name + " " + ex.getRequestMethod() + " " + ex.getRequestURI() + " ua=" + ex.getRequestHeaders().getFirst("User-Agent")
                    + " x=" + ex.getRequestHeaders().getFirst("X-Smoke-Test"));
            int code = switch (ex.getRequestURI().getPath()) {
                case "/moved" -> 302;
                case "/slow" -> {
                    try {
                        Thread.sleep(3000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    yield 200;
                }
                default -> status;
            };
            if (code == 302) {
                ex.getResponseHeaders().add("Location", "/elsewhere");
            }
            ex.sendResponseHeaders(code, -1);
            ex.close();
        });
        s.start();
        return s;
    }

    static SmokeTarget target(HttpServer s, String name) {
        return new SmokeTarget("127.0.0.1", s.getAddress().getPort(), name);
    }

    @AfterEach
    void stop() {
        for (HttpServer s : new HttpServer[] {a, b}) {
            if (s != null) {
                s.stop(0);
            }
        }
    }

    @Test
    void everyCheckGoesToEveryTargetInOrderWithItsMethodHeadersAndUserAgent() throws IOException {
        a = server("a", 200);
        b = server("b", 200);
        List<SmokeCheck> checks = List.of(new SmokeCheck("/smoke?x=1", "HEAD", List.of(new Probe.HttpHeader("X-Smoke-Test", "1")), 200, 2),
                new SmokeCheck("/moved", "GET", List.of(), 302, 2));
        SmokeReport r = client.send(checks, List.of(target(a, "a"), target(b, "b")));
        assertThat(r.passed()).isTrue();
        assertThat(r.sent()).isEqualTo(4);
        assertThat(seen).containsExactly(
                "a HEAD /smoke?x=1 ua=orch-smoke/1 x=1", "b HEAD /smoke?x=1 ua=orch-smoke/1 x=1",
                "a GET /moved ua=orch-smoke/1 x=null", "b GET /moved ua=orch-smoke/1 x=null");
    }

    @Test
    void theFirstWrongStatusStopsTheChecksAndSaysWhatWasExpectedAndGot() throws IOException {
        a = server("a", 200);
        b = server("b", 500);
        List<SmokeCheck> checks = List.of(new SmokeCheck("/smoke", "GET", List.of(), 200, 2), new SmokeCheck("/other", "GET", List.of(), 200, 2));
        SmokeReport r = client.send(checks, List.of(target(a, "green-0"), target(b, "green-1")));
        assertThat(r.failure()).isEqualTo("GET /smoke via green-1: expected status 200, got 500");
        assertThat(r.sent()).isEqualTo(2);
        assertThat(seen).hasSize(2);
    }

    @Test
    void noAnswerWithinTheTimeoutAndARefusedConnectionFail() throws IOException {
        a = server("a", 200);
        SmokeReport slow = client.send(List.of(new SmokeCheck("/slow", "GET", List.of(), 200, 1)), List.of(target(a, "green-0")));
        assertThat(slow.failure()).isEqualTo("GET /slow via green-0: expected status 200, got no answer within 1s");
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        SmokeReport refused = client.send(List.of(new SmokeCheck("/smoke", "GET", List.of(), 200, 1)),
                List.of(new SmokeTarget("127.0.0.1", closed, "green-0")));
        assertThat(refused.failure()).isEqualTo("GET /smoke via green-0: expected status 200, got connection refused");
    }
}
