package dev.orch.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/** The README's hello example deployed as app "web" by the end-to-end tests, with knobs per test. */
public final class WebApp {
    public static final String READY_ON_HEALTHZ = "httpGet:\n            path: /healthz";
    public static final String NEVER_READY = "exec:\n            command: [\"/bin/false\"]";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path dir;
    private final Path hello;
    private final int port;

    /** Copies manifests/hello/hello.py next to the manifests (where services can read it). */
    public WebApp(Path dir) throws IOException {
        this.dir = dir;
        this.hello = dir.resolve("hello.py");
        Files.copy(Path.of("manifests/hello/hello.py"), hello);
        this.port = OrchdOnSystemd.freePort();
    }

    public int port() {
        return port;
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public Path manifest(String version, String readiness, int deadlineSeconds) throws IOException {
        return manifest(version, readiness, deadlineSeconds, 60, 0);
    }

    public Path hello() {
        return hello;
    }

    /** A manifest with extra template and strategy lines (YAML at the template's and blueGreen's indentation). */
    public Path manifest(String version, String extraTemplate, boolean autoPromote) throws IOException {
        Path f = manifest(version, READY_ON_HEALTHZ, 60);
        String text = Files.readString(f)
                .replace("    terminationGracePeriodSeconds: 5\n", "    terminationGracePeriodSeconds: 5\n" + extraTemplate)
                .replace("      keepWarmSeconds: 60\n", "      keepWarmSeconds: 60\n      autoPromote: " + autoPromote + "\n");
        Files.writeString(f, text);
        return f;
    }

    /** The manifest of version {@code version} (it reaches the app as HELLO_VERSION). */
    public Path manifest(String version, String readiness, int deadlineSeconds, int keepWarmSeconds, int initialDelaySeconds) throws IOException {
        Path f = dir.resolve("web-" + version + ".yaml");
        Files.writeString(f, """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  route:
                    port: %d
                    bindAddress: 127.0.0.1
                    drainTimeoutSeconds: 5
                  template:
                    command: ["/usr/bin/python3"]
                    args: ["$(ARTIFACT)", "--port", "$(PORT)"]
                    artifact:
                      path: %s
                    env:
                      - name: HELLO_VERSION
                        value: %s
                    readinessProbe:
                      %s
                      initialDelaySeconds: %d
                      periodSeconds: 1
                      failureThreshold: 1
                    terminationGracePeriodSeconds: 5
                  strategy:
                    blueGreen:
                      keepWarmSeconds: %d
                      bake: {durationSeconds: 0}
                  progressDeadlineSeconds: %d
                """.formatted(port, hello, version, readiness, initialDelaySeconds, keepWarmSeconds, deadlineSeconds));
        return f;
    }

    /** One GET through the route: the body names the version and color that answered. */
    public String get() throws IOException, InterruptedException {
        return get("/");
    }

    /** One GET of {@code path} through the route. */
    public String get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
