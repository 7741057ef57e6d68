package dev.orch.route;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A test backend run as its own JVM process: it says which color (and port) answered.
 * Usage: {@code ColorBackendMain <color> <tcpPort|0> <httpPort> [<httpPort>...]}; prints READY when bound.
 * HTTP: {@code /} (optional {@code ?delay=ms}), {@code /headers}, {@code POST /upload} (sha-256 of the body),
 * {@code /download?bytes=n}, {@code /sse} (an endless event stream), {@code /ws} (websocket echo).
 * TCP: answers each line with {@code color@port:line}.
 */
public final class ColorBackendMain {

    public static void main(String[] args) throws Exception {
        String color = args[0];
        int tcpPort = Integer.parseInt(args[1]);
        Vertx vertx = Vertx.vertx();
        List<io.vertx.core.Future<?>> bound = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            int port = Integer.parseInt(args[i]);
            String id = color + "@" + port;
            bound.add(vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1"))
                    .requestHandler(req -> handle(vertx, id, req))
                    .webSocketHandler(ws -> ws.textMessageHandler(m -> ws.writeTextMessage(id + ":" + m)))
                    .listen());
        }
        if (tcpPort > 0) {
            String id = color + "@" + tcpPort;
            bound.add(vertx.createNetServer().connectHandler(s -> echoLines(id, s)).listen(tcpPort, "127.0.0.1"));
        }
        io.vertx.core.Future.all(bound).toCompletionStage().toCompletableFuture().get();
        System.out.println("READY");
        System.out.flush();
    }

    private static void echoLines(String id, NetSocket s) {
        RecordParser p = RecordParser.newDelimited("\n", line -> s.write(id + ":" + line + "\n"));
        s.handler(p);
    }

    private static void handle(Vertx vertx, String id, HttpServerRequest req) {
        HttpServerResponse resp = req.response();
        resp.putHeader("x-backend", id);
        switch (req.path()) {
            case "/headers" -> {
                StringBuilder sb = new StringBuilder();
                for (Map.Entry<String, String> h : req.headers()) {
                    sb.append(h.getKey().toLowerCase()).append(": ").append(h.getValue()).append('\n');
                }
                resp.end(sb.toString());
            }
            case "/upload" -> upload(id, req);
            case "/download" -> download(req, Long.parseLong(req.getParam("bytes")));
            case "/sse" -> sse(vertx, id, resp);
            default -> {
                String delay = req.getParam("delay");
                req.body().onSuccess(body -> {
                    if (delay == null) {
                        resp.end(id);
                    } else {
                        vertx.setTimer(Long.parseLong(delay), t -> resp.end(id));
                    }
                });
            }
        }
    }

    private static void upload(String id, HttpServerRequest req) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        long[] n = {0};
        req.handler(b -> {
            n[0] += b.length();
            sha.update(b.getBytes());
        });
        req.endHandler(v -> req.response().end(HexFormat.of().formatHex(sha.digest()) + " " + n[0] + " " + id));
    }

    /** A deterministic byte stream (byte i = i mod 251), written with backpressure. */
    static void download(HttpServerRequest req, long total) {
        HttpServerResponse resp = req.response();
        resp.putHeader("content-length", Long.toString(total));
        long[] sent = {0};
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (sent[0] < total && !resp.writeQueueFull()) {
                int len = (int) Math.min(64 * 1024, total - sent[0]);
                byte[] chunk = new byte[len];
                for (int i = 0; i < len; i++) {
                    chunk[i] = (byte) ((sent[0] + i) % 251);
                }
                sent[0] += len;
                resp.write(Buffer.buffer(chunk));
            }
            if (sent[0] >= total) {
                resp.end();
            } else {
                resp.drainHandler(v -> pump[0].run());
            }
        };
        pump[0].run();
    }

    private static void sse(Vertx vertx, String id, HttpServerResponse resp) {
        resp.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-cache");
        int[] n = {0};
        long timer = vertx.setPeriodic(0, 100, t -> resp.write("data: " + id + " " + (n[0]++) + "\n\n"));
        resp.closeHandler(v -> vertx.cancelTimer(timer));
    }
}
