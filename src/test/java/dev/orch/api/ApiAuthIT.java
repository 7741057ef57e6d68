package dev.orch.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.cli.ProcessDaemon;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loopback TCP listener: bearer token or 401 (and nothing changes); the CLI finds it from the config alone. */
class ApiAuthIT {
    @TempDir
    Path dir;

    static final String MANIFEST = """
            apiVersion: orch.dev/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              route:
                port: 18181
              template:
                command: ["/bin/sleep", "600"]
            """;

    @Test
    void tcpCallsNeedTheToken() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (ProcessDaemon orchd = ProcessDaemon.start(dir, Map.of("ORCH_API_TCP_ENABLED", "true", "ORCH_API_TCP_PORT", Integer.toString(port)), "")) {
            Path tokenFile = orchd.state().resolve("api-token");
            assertThat(tokenFile).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-r-----");
            String token = Files.readString(tokenFile).strip();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI apps = URI.create("http://127.0.0.1:" + port + "/api/v1/apps");

            HttpResponse<String> none = http.send(HttpRequest.newBuilder(apps).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"orch\"");
            assertThat(none.body()).contains("Authorization: Bearer");

            HttpResponse<String> wrongApply = http.send(HttpRequest.newBuilder(apps).header("Authorization", "Bearer nope")
                    .header("Content-Type", "application/yaml").POST(HttpRequest.BodyPublishers.ofString(MANIFEST)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(wrongApply.statusCode()).isEqualTo(401);
            assertThat(orchd.state().resolve("apps/web")).doesNotExist();
            assertThat(orchd.orchctl("get", "apps").stderr()).contains("No resources found.");

            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(apps).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);

            HttpResponse<String> openapi = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/openapi?format=json"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(openapi.statusCode()).isEqualTo(200);
            assertThat(openapi.body()).contains("\"openapi\"").contains("/api/v1/apps/{name}/restart").contains("/api/v1/events").contains("/api/v1/diff");

            // webhooks authenticate by signature, not by token: never 401 here
            HttpResponse<String> hook = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/webhooks/git"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(hook.statusCode()).isNotEqualTo(401);

            // the management listener serves metrics and health, never the API
            HttpResponse<String> mgmt = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + orchd.managementPort() + "/api/v1/apps")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(mgmt.statusCode()).isEqualTo(404);

            // a CLI that cannot use the socket goes over TCP with the token, from the config alone
            var cli = orchd.dist().withEnv(Map.of("ORCH_API_SOCKET", dir.resolve("no-such.sock").toString(),
                    "ORCH_API_TCP_ENABLED", "true", "ORCH_API_TCP_PORT", Integer.toString(port), "ORCH_API_TOKEN_FILE", tokenFile.toString()));
            Path f = dir.resolve("web.yaml");
            Files.writeString(f, MANIFEST);
            var applied = cli.orchctl("apply", "-f", f.toString());
            assertThat(applied.exitCode()).as("%s", applied).isZero();
            assertThat(applied.stdout()).isEqualTo("deployment.orch.dev/web created\n");
            assertThat(orchd.ok("get", "apps")).contains("web");

            Files.writeString(dir.resolve("bad-token"), "0123456789abcdef0123\n");
            var bad = orchd.dist().withEnv(Map.of("ORCH_API_SOCKET", dir.resolve("no-such.sock").toString(),
                    "ORCH_API_TCP_ENABLED", "true", "ORCH_API_TCP_PORT", Integer.toString(port),
                    "ORCH_API_TOKEN_FILE", dir.resolve("bad-token").toString())).orchctl("get", "apps");
            assertThat(bad.exitCode()).isEqualTo(1);
            assertThat(bad.stderr()).startsWith("error: orchd answered 401: this API needs 'Authorization: Bearer <token>'");
            orchd.ok("delete", "app", "web");

            // the audit log names who asked: the token over TCP, the unix-socket peer's user (the kernel's word)
            var audit = new com.fasterxml.jackson.databind.ObjectMapper();
            var byHand = Files.readAllLines(orchd.state().resolve("audit.log")).stream().map(l -> {
                try {
                    return audit.readTree(l);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(e -> "web".equals(e.path("app").asText()) && !"controller".equals(e.path("cause").asText())).toList();
            assertThat(byHand).extracting(e -> e.path("action").asText() + " by " + e.path("cause").asText())
                    .containsSubsequence("apply by token api", "delete by user " + System.getProperty("user.name"));
        }
    }
}
