package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first commands on a machine without systemd: the packaged orchd with a local state dir runs
 * the example app with the process driver, rolls out a change blue/green and deletes it.
 */
class LocalModeIT {
    @TempDir
    Path dir;

    @Test
    void theReadmeWalkthroughWorksWithTheProcessDriver() throws Exception {
        int port = OrchdOnSystemd.freePort();
        Path manifest = dir.resolve("hello.yaml");
        Files.writeString(manifest, Files.readString(Path.of("manifests/hello/hello.yaml"))
                .replace("/opt/orch/examples/hello/hello.py", Path.of("manifests/hello/hello.py").toAbsolutePath().toString())
                .replace("port: 8080 ", "port: " + port + " "));
        OrchDist dist = OrchDist.packaged().withEnv(Map.of(
                "ORCH_STATE_DIR", dir.resolve("state").toString(),
                "ORCH_DRIVER", "process",
                "ORCH_JAVA_OPTS", "-Dquarkus.management.port=" + OrchdOnSystemd.freePort()));
        Process daemon = dist.startDaemon(dir.resolve("orchd.log"));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("state/orchd.sock")));
            assertThat(dist.orchctl("apply", "-f", manifest.toString()).stdout()).isEqualTo("deployment.orch.dev/hello created\n");
            OrchDist.Result status = dist.orchctl("rollout", "status", "hello", "--timeout", "60s");
            assertThat(status.exitCode()).as("%s%n%s", status, Files.readString(dir.resolve("orchd.log"))).isZero();
            assertThat(get(port)).contains("\"color\": \"blue\"");
            assertThat(Files.readString(dir.resolve("orchd.log"))).contains("service driver: process");

            Files.writeString(manifest, Files.readString(manifest).replace("hello from orch", "hello again"));
            assertThat(dist.orchctl("apply", "-f", manifest.toString()).stdout()).isEqualTo("deployment.orch.dev/hello configured\n");
            assertThat(dist.orchctl("rollout", "status", "hello", "--timeout", "60s").exitCode()).isZero();
            assertThat(get(port)).contains("\"color\": \"green\"");
            assertThat(dist.orchctl("get", "apps").stdout()).startsWith("NAME    LIVE    REVISION   READY   STATUS      AGE\nhello   green   2          1/1     Available");

            assertThat(dist.orchctl("delete", "app", "hello").exitCode()).isZero();
            await().atMost(Duration.ofSeconds(30)).until(() -> !Files.exists(dir.resolve("state/apps/hello")));
        } finally {
            daemon.destroy();
            daemon.waitFor();
        }
    }

    static String get(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
