package dev.orch.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orch.cli.ProcessDaemon;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every request the API refuses answers RFC 9457 problem JSON with the right status: a corpus of raw requests
 * (src/test/resources/api-errors/*.http, each headed by {@code # expect: STATUS} and optionally the Allow header
 * and the loader's errors) sent byte for byte over orchd's unix socket.
 */
class ApiErrorsIT {
    static final Path CORPUS = Path.of("src/test/resources/api-errors");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static ProcessDaemon orchd;

    @BeforeAll
    static void start() throws IOException {
        orchd = ProcessDaemon.start(dir);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        orchd.close();
    }

    @TestFactory
    Stream<DynamicTest> everyRefusalIsProblemJson() throws IOException {
        List<Path> cases;
        try (Stream<Path> s = Files.list(CORPUS)) {
            cases = s.filter(p -> p.toString().endsWith(".http")).sorted().toList();
        }
        assertThat(cases).hasSizeGreaterThanOrEqualTo(26);
        return cases.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(Case.read(p))));
    }

    /** The Allow table is the served OpenAPI document's: no endpoint can be missing from a 405's Allow. */
    @Test
    void theAllowTableIsTheOpenApiDocument() throws IOException {
        Answer a = send(("GET /api/v1/openapi?format=json HTTP/1.1\r\nHost: orchd\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        assertThat(a.status()).isEqualTo(200);
        Map<String, List<String>> served = new TreeMap<>();
        JSON.readTree(a.body()).path("paths").fields().forEachRemaining(e -> {
            List<String> methods = new ArrayList<>();
            e.getValue().fieldNames().forEachRemaining(m -> methods.add(m.toUpperCase(Locale.ROOT)));
            served.put(e.getKey(), methods.stream().sorted().toList());
        });
        assertThat(new TreeMap<>(ApiMethods.PATHS)).isEqualTo(served);
    }

    /**
     * 1,200 apps from one directory (over 1 MiB once rendered) go in one request: orchd's request limit is the HTTP
     * body limit, not the 1 MiB of one file. A dry run, so nothing starts.
     */
    @Test
    void oneApplyOfTwelveHundredAppsOverOneMiBIsTakenWhole() throws IOException {
        Path apps = Files.createDirectories(dir.resolve("many"));
        for (int i = 0; i < 1200; i++) {
            Files.writeString(apps.resolve("app-" + i + ".yaml"), """
                    apiVersion: orch.dev/v1
                    kind: Deployment
                    metadata:
                      name: app-%d
                      labels: {team: platform, tier: batch, owner: scale-test}
                    spec:
                      route: {port: %d, protocol: tcp, bindAddress: 127.0.0.1}
                      template:
                        command: ["/bin/sleep"]
                        args: ["infinity"]
                        env:
                          - {name: PADDING, value: "%s"}
                    """.formatted(i, 40000 + i, "x".repeat(1000)));
        }
        var r = orchd.orchctl("apply", "--dry-run=server", "-f", apps.toString());
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout().lines().filter(l -> l.endsWith("(server dry run)"))).hasSize(1200);
    }

    /** The request limit is 10 MiB: 1.2 MB of comments is a body without a Deployment (400), not a file too large (422). */
    @Test
    void aRequestBodyOverOneMiBIsParsed() throws IOException {
        Answer a = send(("POST /api/v1/apps HTTP/1.1\r\nHost: orchd\r\nContent-Type: application/yaml\r\nContent-Length: 1200000\r\n"
                + "Connection: close\r\n\r\n" + "#".repeat(1200000)).getBytes(StandardCharsets.UTF_8));
        assertThat(a.status()).as("%s", a).isEqualTo(400);
    }

    private static void check(Case c) throws IOException {
        Answer a = send(c.request());
        assertThat(a.status()).as("%s: %s", c.name(), a).isEqualTo(c.status());
        assertThat(a.headers().get("content-type")).as("%s: %s", c.name(), a).isEqualTo(Problem.MEDIA_TYPE);
        JsonNode p = JSON.readTree(a.body());
        assertThat(p.path("type").asText()).isEqualTo("about:blank");
        assertThat(p.path("status").asInt()).isEqualTo(c.status());
        assertThat(p.path("title").asText()).isEqualTo(Problem.title(c.status()));
        assertThat(p.path("detail").asText()).as("%s: detail", c.name()).isNotBlank();
        assertThat(a.headers().get("allow")).as("%s: Allow", c.name()).isEqualTo(c.allow());
        List<String> errors = new ArrayList<>();
        p.path("errors").forEach(e -> errors.add(e.asText()));
        assertThat(errors).as("%s: errors", c.name()).hasSize(c.errorCount());
        if (c.errorPrefix() != null) {
            assertThat(errors).allSatisfy(e -> assertThat(e).startsWith(c.errorPrefix()));
        }
    }

    static Answer send(byte[] request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(orchd.state().resolve("orchd.sock")))) {
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                try {
                    ch.write(out);
                } catch (IOException e) {
                    break; // orchd may answer (413) and close before the whole body is sent
                }
            }
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(65536);
            try {
                while (ch.read(buf) >= 0) {
                    in.write(buf.array(), 0, buf.position());
                    buf.clear();
                }
            } catch (IOException e) {
                // reset after the answer: what arrived is the answer
            }
            return Answer.parse(in.toString(StandardCharsets.UTF_8));
        }
    }

    record Answer(int status, Map<String, String> headers, String body) {
        static Answer parse(String raw) {
            int end = raw.indexOf("\r\n\r\n");
            assertThat(end).as("an HTTP answer: %s", raw).isPositive();
            Iterator<String> lines = List.of(raw.substring(0, end).split("\r\n")).iterator();
            int status = Integer.parseInt(lines.next().split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            lines.forEachRemaining(l -> headers.put(l.substring(0, l.indexOf(':')).toLowerCase(Locale.ROOT), l.substring(l.indexOf(':') + 1).strip()));
            String body = raw.substring(end + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; ; ) {
                    int nl = body.indexOf("\r\n", i);
                    int n = Integer.parseInt(body.substring(i, nl).strip(), 16);
                    if (n == 0) {
                        break;
                    }
                    b.append(body, nl + 2, nl + 2 + n);
                    i = nl + 2 + n + 2;
                }
                body = b.toString();
            }
            return new Answer(status, headers, body);
        }
    }

    /** One corpus file: {@code # key: value} lines, then the request line, headers, an empty line and the body. */
    record Case(String name, int status, String allow, int errorCount, String errorPrefix, byte[] request) {
        static Case read(Path p) throws IOException {
            List<String> lines = Files.readAllLines(p);
            Map<String, String> meta = new LinkedHashMap<>();
            int i = 0;
            for (; lines.get(i).startsWith("# "); i++) {
                String l = lines.get(i).substring(2);
                meta.put(l.substring(0, l.indexOf(':')), l.substring(l.indexOf(':') + 1).strip());
            }
            StringBuilder head = new StringBuilder();
            String pad = "a".repeat(Integer.parseInt(meta.getOrDefault("target-bytes", "0")));
            for (; !lines.get(i).isEmpty(); i++) {
                head.append(lines.get(i).replace("{pad}", pad)).append("\r\n");
            }
            if (meta.containsKey("header-bytes")) {
                head.append("X-Padding: ").append("a".repeat(Integer.parseInt(meta.get("header-bytes")))).append("\r\n");
            }
            String body = String.join("\n", lines.subList(i + 1, lines.size())) + (lines.size() > i + 1 ? "\n" : "");
            if (meta.containsKey("body-bytes")) {
                body = body.strip().repeat(Integer.parseInt(meta.get("body-bytes")) / Math.max(1, body.strip().length()));
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            head.append("Host: orchd\r\nConnection: close\r\n");
            if (b.length > 0) {
                head.append("Content-Length: ").append(b.length).append("\r\n");
            }
            head.append("\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
            byte[] req = new byte[h.length + b.length];
            System.arraycopy(h, 0, req, 0, h.length);
            System.arraycopy(b, 0, req, h.length, b.length);
            String errors = meta.getOrDefault("errors", "0");
            int sp = errors.indexOf(' ');
            return new Case(p.getFileName().toString(), Integer.parseInt(meta.get("expect")), meta.get("allow"),
                    Integer.parseInt(sp < 0 ? errors : errors.substring(0, sp)), sp < 0 ? null : errors.substring(sp + 1), req);
        }
    }
}
