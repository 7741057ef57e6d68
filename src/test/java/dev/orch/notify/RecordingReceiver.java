package dev.orch.notify;

import com.sun.net.httpserver.HttpServer;
import dev.orch.cli.FreePort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP receiver on loopback: records every POST, answers 503 while told to. */
public final class RecordingReceiver implements AutoCloseable {
    /** One request as it arrived. */
    public record Delivery(String body, String signature, String contentType) {
    }

    private final HttpServer server;
    private final LinkedBlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    public final List<Delivery> all = new CopyOnWriteArrayList<>();
    /** Answer this many requests with 503 before accepting again. */
    public final AtomicInteger unavailable = new AtomicInteger();
    public final AtomicInteger refused = new AtomicInteger();

    public RecordingReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePort.find()), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                refused.incrementAndGet();
                ex.sendResponseHeaders(503, -1);
                ex.close();
                return;
            }
            Delivery d = new Delivery(new String(body, java.nio.charset.StandardCharsets.UTF_8),
                    ex.getRequestHeaders().getFirst("X-Orch-Signature"), ex.getRequestHeaders().getFirst("Content-Type"));
            all.add(d);
            deliveries.add(d);
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    /** The next delivery; fails the test after a minute (a bound on a hang, not a timed assertion). */
    public Delivery next() throws InterruptedException {
        Delivery d = deliveries.poll(60, TimeUnit.SECONDS);
        if (d == null) {
            throw new AssertionError("no delivery arrived");
        }
        return d;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
