package dev.orch.probe;

import dev.orch.manifest.Probe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one attempt of a probe, Kubernetes semantics: httpGet passes on a 2xx/3xx status, tcpSocket when a
 * connection opens, exec when the command exits 0; each within {@code timeoutSeconds}. Never throws:
 * every failure is a failed result with a message.
 */
public final class ProbeExecutor implements AutoCloseable {
    private static final int MAX_EXEC_OUTPUT = 1024;

    private final Vertx vertx;
    private final HttpClient http;
    private final HttpClient https;

    public ProbeExecutor(Vertx vertx) {
        this.vertx = vertx;
        // probes open a fresh connection each time, as the kubelet does
        this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
        this.https = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setSsl(true).setTrustAll(true).setVerifyHost(false));
    }

    /** @param env environment of an exec probe (the color's PORT and its env) */
    public Future<ProbeResult> run(Probe probe, ProbeTarget target, Map<String, String> env) {
        long timeoutMs = TimeUnit.SECONDS.toMillis(probe.timeoutSeconds());
        if (probe.httpGet() != null) {
            return httpGet(probe.httpGet(), target, timeoutMs);
        }
        if (probe.tcpSocket() != null) {
            return tcpSocket(probe.tcpSocket(), target, timeoutMs);
        }
        return exec(probe.exec(), env, timeoutMs);
    }

    private Future<ProbeResult> httpGet(Probe.HttpGetAction a, ProbeTarget t, long timeoutMs) {
        String host = a.host() != null ? a.host() : t.host();
        int port = a.port() != null ? a.port() : t.port();
        RequestOptions o = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(host)
                .setPort(port)
                .setURI(a.path())
                .setConnectTimeout(timeoutMs)
                .setIdleTimeout(timeoutMs)
                .putHeader("User-Agent", "orch-probe/1")
                .putHeader("Accept", "*/*");
        a.httpHeaders().forEach(h -> o.putHeader(h.name(), h.value()));
        HttpClient client = "HTTPS".equals(a.scheme()) ? https : http;
        String what = a.scheme().toLowerCase() + "://" + host + ":" + port + a.path();
        return client.request(o)
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> resp.statusCode()))
                .map(status -> status >= 200 && status < 400
                        ? ProbeResult.ok("GET " + what + ": " + status)
                        : ProbeResult.failed("GET " + what + ": HTTP status " + status))
                .otherwise(e -> ProbeResult.failed("GET " + what + ": " + message(e)));
    }

    private Future<ProbeResult> tcpSocket(Probe.TcpSocketAction a, ProbeTarget t, long timeoutMs) {
        String host = a.host() != null ? a.host() : t.host();
        int port = a.port() != null ? a.port() : t.port();
        String what = "tcp " + host + ":" + port;
        NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) timeoutMs));
        return client.connect(port, host)
                .compose(sock -> sock.close().map(v -> ProbeResult.ok(what + ": connected")))
                .otherwise(e -> ProbeResult.failed(what + ": " + message(e)))
                .eventually(() -> client.close());
    }

    private Future<ProbeResult> exec(Probe.ExecAction a, Map<String, String> env, long timeoutMs) {
        return vertx.executeBlocking(() -> runCommand(a, env, timeoutMs), false);
    }

    private static ProbeResult runCommand(Probe.ExecAction a, Map<String, String> env, long timeoutMs) {
        String what = "exec " + a.command().get(0);
        Path out = null;
        try {
            out = Files.createTempFile("orch-probe", ".out");
            ProcessBuilder pb = new ProcessBuilder(a.command())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return ProbeResult.failed(what + ": timed out after " + timeoutMs + " ms");
            }
            String text;
            try (InputStream in = Files.newInputStream(out)) {
                text = new String(in.readNBytes(MAX_EXEC_OUTPUT), StandardCharsets.UTF_8).strip();
            }
            return p.exitValue() == 0
                    ? ProbeResult.ok(what + ": exit 0")
                    : ProbeResult.failed(what + ": exit " + p.exitValue() + (text.isEmpty() ? "" : ": " + text));
        } catch (IOException e) {
            return ProbeResult.failed(what + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.failed(what + ": interrupted");
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void close() {
        http.close();
        https.close();
    }
}
