package dev.orch.cli;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JDK AOT cache's training run ({@code -Dorch.aot.train=true}, see src/main/dist/assemble): runs the
 * commands users type all day against a throw-away API on a unix socket, so the cache holds the classes of
 * the real client path (picocli, config, Vert.x client, Jackson, table output). Never used at run time.
 */
public final class AotTraining {
    public static final String PROPERTY = "orch.aot.train";

    private static final String APPS_JSON = """
            [{"name":"web","live":"blue","revision":3,"ready":"2/2","status":"Available","created":"2026-01-01T00:00:00Z"},
             {"name":"api","live":null,"revision":0,"ready":"0/1","status":"Progressing","created":"2026-01-01T00:00:00Z"}]""";

    private AotTraining() {}

    public static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    public static int run() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));
        try {
            Path dir = Files.createTempDirectory("orch-aot-");
            Path socket = dir.resolve("orchd.sock");
            System.setProperty("orch.state-dir", dir.toString());
            System.setProperty("orch.api.socket", socket.toString());
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(req -> {
                        String body = req.path().equals("/api/v1/version") ? "{\"version\":\"training\"}" : APPS_JSON;
                        req.response().putHeader("Content-Type", "application/json").end(body);
                    })
                    .listen(SocketAddress.domainSocketAddress(socket.toString()))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
            System.setOut(sink);
            System.setErr(sink);
            for (List<String> cmd : List.of(
                    List.of("--help"),
                    List.of("version"),
                    List.of("version", "--client"),
                    List.of("get", "apps"),
                    List.of("get", "apps", "-o", "wide"),
                    List.of("get", "nothing"))) {
                Cli.execute(cmd.toArray(String[]::new));
            }
            server.close();
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("AOT training failed: " + e.getMessage(), e);
        } finally {
            System.setOut(out);
            System.setErr(err);
            vertx.close();
        }
    }
}
