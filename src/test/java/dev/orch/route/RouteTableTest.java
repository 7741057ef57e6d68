package dev.orch.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Protocol;
import dev.orch.manifest.RouteSpec;
import dev.orch.state.Color;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * orch-router's table saved in its state dir: a second router process (here a second Vert.x and table on the
 * same file) re-opens every route with its live and preview targets, so it answers without orchd. Real sockets
 * on loopback, real HTTP backends.
 */
class RouteTableTest {
    @TempDir
    Path dir;

    private Vertx vertx;
    private int blue;
    private int green;

    @BeforeEach
    void backends() throws Exception {
        vertx = Vertx.vertx();
        blue = backend("blue");
        green = backend("green");
    }

    private int backend(String name) throws Exception {
        HttpServer s = vertx.createHttpServer()
                .requestHandler(r -> {
                    if (r.path().equals("/slow")) {
                        vertx.setTimer(1500, x -> r.response().end(name + " slow"));
                    } else {
                        r.response().end(name);
                    }
                })
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return s.actualPort();
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRestartedRouterServesTheSavedLiveAndPreviewTargets() throws Exception {
        Path file = dir.resolve(RouteTable.FILE);
        RouteSpec spec = new RouteSpec(ChildJvm.freePort(), Protocol.HTTP, "127.0.0.1", ChildJvm.freePort(), 5);
        RouteSpec gone = new RouteSpec(ChildJvm.freePort(), Protocol.HTTP, "127.0.0.1", null, 5);
        Vertx first = Vertx.vertx();
        RouteTable before = new RouteTable(new VertxRouter(first), file);
        before.open("web", spec);
        before.open("old", gone);
        before.switchTo("web", new RouterProtocol.Target(Color.BLUE, List.of(new Backend("127.0.0.1", blue))));
        before.switchTo("web", new RouterProtocol.Target(Color.GREEN, List.of(new Backend("127.0.0.1", green))));
        before.close("old");
        try (MiniHttp c = new MiniHttp(spec.port())) {
            assertThat(c.get("/").body()).isEqualTo("green");
        }
        before.close(); // the process ends: its listeners close, the file stays
        first.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(Files.readString(file)).contains("\"web\"").doesNotContain("\"old\"");

        Vertx second = Vertx.vertx();
        try {
            RouteTable after = new RouteTable(new VertxRouter(second), file);
            assertThat(after.restore()).containsExactly("web");
            assertThat(after.get("web").orElseThrow().live()).contains(Color.GREEN);
            try (MiniHttp c = new MiniHttp(spec.port()); MiniHttp p = new MiniHttp(spec.previewPort())) {
                assertThat(c.get("/").body()).isEqualTo("green");
                assertThat(p.get("/").body()).isEqualTo("blue");
            }
            // orchd's re-open after the restart adopts the restored route untouched
            assertThat(after.open("web", spec).adopted()).isTrue();
            after.close();
        } finally {
            second.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStoppingRouterLetsTheRequestsInFlightFinish() throws Exception {
        RouteSpec spec = new RouteSpec(ChildJvm.freePort(), Protocol.HTTP, "127.0.0.1", null, 5);
        Vertx own = Vertx.vertx();
        try {
            RouteTable table = new RouteTable(new VertxRouter(own), dir.resolve(RouteTable.FILE));
            table.open("web", spec);
            table.switchTo("web", new RouterProtocol.Target(Color.BLUE, List.of(new Backend("127.0.0.1", blue))));
            var answer = new java.util.concurrent.CompletableFuture<MiniHttp.Response>();
            Thread.ofPlatform().start(() -> {
                try (MiniHttp c = new MiniHttp(spec.port())) {
                    answer.complete(c.get("/slow"));
                } catch (Exception e) {
                    answer.completeExceptionally(e);
                }
            });
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> table.inFlight() == 1);
            table.close(); // what the router does on SIGTERM
            assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(answer.get().body()).isEqualTo("blue slow");
        } finally {
            own.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anUnreadableFileStartsEmpty() throws Exception {
        Path file = dir.resolve(RouteTable.FILE);
        Files.writeString(file, "{not json");
        RouteTable t = new RouteTable(new VertxRouter(vertx), file);
        assertThat(t.restore()).isEmpty();
        assertThat(t.listing().apps()).isEmpty();
    }
}
