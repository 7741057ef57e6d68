package dev.orch.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.cli.ProcessDaemon;
import dev.orch.testing.OrchdOnSystemd;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client timeouts and the refusals on a real orchd's route: {@code orch.route.header-timeout} and {@code
 * orch.route.keep-alive-timeout} from the configuration reach the route, in front of the example app.
 */
class RouteClientTimeoutsIT {
    @TempDir
    Path dir;

    @Test
    void theConfiguredTimeoutsCloseIdleAndHalfSentConnectionsOfARealRoute() throws Exception {
        int port = OrchdOnSystemd.freePort();
        Path manifest = dir.resolve("hello.yaml");
        Files.writeString(manifest, Files.readString(Path.of("manifests/hello/hello.yaml"))
                .replace("/opt/orch/examples/hello/hello.py", Path.of("manifests/hello/hello.py").toAbsolutePath().toString())
                .replace("port: 8080 ", "port: " + port + " "));
        try (ProcessDaemon orchd = ProcessDaemon.start(dir, Map.of(),
                "-Dorch.route.header-timeout=500ms -Dorch.route.keep-alive-timeout=500ms")) {
            orchd.ok("apply", "-f", manifest.toString());
            assertThat(orchd.ok("rollout", "status", "hello", "--timeout", "60s")).contains("successfully rolled out");

            try (Socket s = connect(port)) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: hello\r\nX-Slow".getBytes(StandardCharsets.US_ASCII));
                assertThat(s.getInputStream().read()).as("a half-sent head is closed").isEqualTo(-1);
            }
            try (Socket s = connect(port)) {
                s.getOutputStream().write("GET / HTTP/1.1\r\nHost: hello\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertThat(head(in)).startsWith("HTTP/1.1 200 OK\r\n");
                in.readNBytes(contentLength);
                assertThat(in.read()).as("an idle kept-alive connection is closed").isEqualTo(-1);
            }
            try (Socket s = connect(port)) {
                s.getOutputStream().write(("POST / HTTP/1.1\r\nHost: hello\r\nTransfer-Encoding: gzip\r\nContent-Length: 5\r\n\r\n"
                        + "hello").getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                assertThat(head(in)).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("\r\nconnection: close\r\n");
            }
        }
    }

    private int contentLength;

    /** The response head up to its empty line; remembers its Content-Length. */
    private String head(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (!sb.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            sb.append((char) c);
        }
        contentLength = 0;
        for (String line : sb.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                contentLength = Integer.parseInt(line.substring(15).trim());
            }
        }
        return sb.toString();
    }

    private static Socket connect(int port) {
        Socket[] socket = new Socket[1];
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            socket[0] = new Socket("127.0.0.1", port);
            return true;
        });
        try {
            // a safety net, ten times the configured timeouts and half the default header timeout (10 s): a route that
            // ignored the configuration would fail here instead of closing
            socket[0].setSoTimeout(5_000);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return socket[0];
    }
}
