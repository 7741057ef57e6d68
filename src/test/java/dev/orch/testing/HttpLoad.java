package dev.orch.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Continuous GET load from several keep-alive clients; every failure (status other than 200, reset,
 * timeout) is kept with its reason, so a test can assert there were none.
 */
public final class HttpLoad implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong ok = new AtomicLong();
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile String lastBody = "";

    public HttpLoad(URI uri, int clients) {
        for (int i = 0; i < clients; i++) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            threads.add(Thread.ofPlatform().name("load-" + i).daemon(true).start(() -> {
                HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
                while (running.get()) {
                    try {
                        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                            lastBody = r.body();
                        } else {
                            failures.add("HTTP " + r.statusCode() + ": " + r.body());
                        }
                    } catch (Exception e) {
                        if (running.get()) {
                            failures.add(e.toString());
                        }
                    }
                }
            }));
        }
    }

    public long ok() {
        return ok.get();
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    public String lastBody() {
        return lastBody;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(15_000);
        }
    }
}
