package dev.orch.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.SystemdNamespace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The router as the VM's edge, through the packaged orch-router.service: three apps on one shared HTTP+HTTPS
 * listener pair by host name and path prefix, TLS from files picked by SNI and rotated while serving.
 */
class EdgeIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();

    static OrchdOnSystemd orch;
    static int httpPort;
    static int httpsPort;
    static Path certs;

    @BeforeAll
    static void start() throws Exception {
        httpPort = OrchdOnSystemd.freePort();
        httpsPort = OrchdOnSystemd.freePort();
        orch = new OrchdOnSystemd(SYSTEMD).withRouterUnit()
                .routerEnv("ORCH_ROUTE_HTTP_PORT", Integer.toString(httpPort))
                .routerEnv("ORCH_ROUTE_HTTPS_PORT", Integer.toString(httpsPort))
                .routerEnv("ORCH_ROUTE_BIND_ADDRESS", "127.0.0.1");
        certs = Files.createDirectories(orch.dir().resolve("certs"));
        certificate("shop.test", "1", certs.resolve("shop.crt"), certs.resolve("shop.key"));
        Files.copy(Path.of("manifests/hello/hello.py"), orch.dir().resolve("hello.py"));
        orch.start();
        apply("shop", "[shop.test]", null, "tls: {certificateFile: " + certs.resolve("shop.crt") + ", privateKeyFile: "
                + certs.resolve("shop.key") + ", hstsMaxAgeSeconds: 300}");
        apply("api", "[shop.test]", "/api", null);
        apply("blog", "[\"*.blog.test\", blog.test]", null, null);
        for (String app : List.of("shop", "api", "blog")) {
            var status = orch.orchctl("rollout", "status", app, "--timeout", "90s");
            assertThat(status.exitCode()).as("%s%n%s", status, orch.routerLogs()).isZero();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (orch != null) {
            orch.close();
        }
    }

    static void apply(String app, String hosts, String prefix, String tls) throws Exception {
        Path f = orch.dir().resolve(app + ".yaml");
        Files.writeString(f, """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: %s
                spec:
                  route:
                    port: %d
                    bindAddress: 127.0.0.1
                    drainTimeoutSeconds: 2
                    hosts: %s
                %s%s  template:
                    command: ["/usr/bin/python3"]
                    args: ["$(ARTIFACT)", "--port", "$(PORT)"]
                    artifact:
                      path: %s
                    env:
                      - name: HELLO_VERSION
                        value: %s
                    readinessProbe:
                      httpGet: {path: /healthz}
                      periodSeconds: 1
                      failureThreshold: 1
                    terminationGracePeriodSeconds: 2
                  strategy:
                    blueGreen:
                      bake: {durationSeconds: 0}
                """.formatted(app, OrchdOnSystemd.freePort(), hosts, prefix == null ? "" : "    pathPrefix: " + prefix + "\n",
                tls == null ? "" : "    " + tls + "\n", orch.dir().resolve("hello.py"), app));
        var r = orch.orchctl("apply", "-f", f.toString());
        assertThat(r.exitCode()).as("%s", r).isZero();
    }

    /** A self-signed certificate for {@code host} with serial {@code serial}, PKCS#8 key, made by openssl. */
    static void certificate(String host, String serial, Path crt, Path key) throws Exception {
        Path tmpCrt = crt.resolveSibling(crt.getFileName() + ".new");
        Path tmpKey = key.resolveSibling(key.getFileName() + ".new");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + host,
                "-addext", "subjectAltName=DNS:" + host, "-set_serial", serial, "-keyout", tmpKey.toString(), "-out", tmpCrt.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        Files.move(tmpKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmpCrt, crt, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** One HTTP/1.1 exchange (Connection: close) on a fresh connection: status line, headers and body as text. */
    static String http(String host, String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", httpPort)) {
            return exchange(s, host, path);
        }
    }

    record Tls(String response, X509Certificate peer) {}

    /** The same over TLS with SNI {@code host}, trusting any certificate (the test looks at which one it got). */
    static Tls https(String host, String path) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        AtomicReference<X509Certificate> seen = new AtomicReference<>();
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] c, String a) {}

            public void checkServerTrusted(X509Certificate[] c, String a) {
                seen.set(c[0]);
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, new SecureRandom());
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", httpsPort)) {
            SSLParameters params = s.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName(host)));
            s.setSSLParameters(params);
            s.startHandshake();
            return new Tls(exchange(s, host, path), seen.get());
        }
    }

    private static String exchange(Socket s, String host, String path) throws IOException {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(StandardCharsets.UTF_8);
    }

    @Test
    void threeAppsShareOneListenerPairByHostAndPrefix() throws Exception {
        assertThat(http("blog.test", "/")).startsWith("HTTP/1.1 200").contains("\"version\": \"blog\"");
        assertThat(http("www.blog.test:" + httpPort, "/")).as("the wildcard").contains("\"version\": \"blog\"");
        assertThat(https("shop.test", "/").response()).startsWith("HTTP/1.1 200").contains("\"version\": \"shop\"")
                .containsIgnoringCase("strict-transport-security: max-age=300");
        assertThat(https("shop.test", "/api").response()).as("the longer prefix wins").contains("\"version\": \"api\"");
        assertThat(https("shop.test", "/api/healthz").response()).as("the prefix is stripped: the app saw /healthz")
                .endsWith("\r\n\r\nok\n");
        assertThat(https("shop.test", "/apiary").response()).as("whole segments only").contains("\"version\": \"shop\"");
        String unknown = http("nobody.test", "/x");
        assertThat(unknown).startsWith("HTTP/1.1 404").contains("orch: no app is routed for host nobody.test and path /x");
        // shop has TLS: plain HTTP is redirected; api on the same host has none of its own and is served on HTTP
        assertThat(http("shop.test", "/cart?id=1")).startsWith("HTTP/1.1 308")
                .contains("location: https://shop.test:" + httpsPort + "/cart?id=1");
        assertThat(http("shop.test", "/api")).startsWith("HTTP/1.1 200").contains("\"version\": \"api\"");
        // each app still has its own port
        assertThat(orch.orchctl("get", "app", "blog").stdout()).contains("blog");
    }

    @Test
    void sniPicksTheHostsCertificateAndAnUnknownNameGetsNone() throws Exception {
        assertThat(https("shop.test", "/").peer().getSubjectX500Principal().getName()).isEqualTo("CN=shop.test");
        assertThatThrownBy(() -> https("blog.test", "/")).as("blog has no TLS: no certificate, never shop's")
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        assertThatThrownBy(() -> https("unknown.test", "/")).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void certificateFilesRotatedWhileServingAreServedWithoutAFailedRequest() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> lastSerial = new AtomicReference<>();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        Thread load = new Thread(() -> {
            while (running.get()) {
                try {
                    Tls r = https("shop.test", "/");
                    if (r.response().startsWith("HTTP/1.1 200")) {
                        ok.incrementAndGet();
                        lastSerial.set(r.peer().getSerialNumber().toString());
                    } else {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, new AssertionError(r.response()));
                    }
                } catch (Exception e) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, e);
                }
            }
        });
        load.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > 10);
            BigInteger before = new BigInteger(lastSerial.get());
            String next = before.add(BigInteger.ONE).toString();
            certificate("shop.test", next, certs.resolve("shop.crt"), certs.resolve("shop.key"));
            await().atMost(Duration.ofSeconds(15)).until(() -> next.equals(lastSerial.get()));
            int at = ok.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> ok.get() > at + 10);
        } finally {
            running.set(false);
            load.join();
        }
        System.out.printf("TLS rotation under load: %d requests, %d failed%n", ok.get(), failed.get());
        assertThat(failed.get()).as("first failure: %s", firstFailure.get()).isZero();
        assertThat(https("shop.test", "/").peer().getSerialNumber()).isEqualTo(new BigInteger(lastSerial.get()));
    }
}
