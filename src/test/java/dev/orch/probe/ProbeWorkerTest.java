package dev.orch.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProbeWorkerTest {
    Vertx vertx;
    ProbeWorker worker;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        worker = new ProbeWorker(vertx);
    }

    @AfterEach
    void stop() {
        worker.close();
        vertx.close();
    }

    @Test
    void reportsEachReadinessTransitionOnce() throws Exception {
        NetServer server = vertx.createNetServer().connectHandler(s -> s.close())
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        int port = server.actualPort();
        List<Boolean> transitions = new CopyOnWriteArrayList<>();
        var key = new ProbeWorker.Key("web", "blue", 0, ProbeWorker.Kind.READINESS);

        worker.watch(key, Probes.tcp(), ProbeTarget.local(port), Map.of(), (k, s) -> transitions.add(s.passing()));
        await().atMost(Duration.ofSeconds(10)).until(() -> transitions.equals(List.of(true)));
        assertThat(worker.state(key).passing()).isTrue();

        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> transitions.equals(List.of(true, false)));
        Thread.sleep(2_500); // more failed attempts: no further reports
        assertThat(transitions).containsExactly(true, false);

        worker.unwatch(key);
        assertThat(worker.state(key).passing()).isFalse();
    }
}
