package dev.orch.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.SystemdNamespace;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sealed secrets end to end: the real age command seals, the packaged orchd on real systemd opens them into
 * credentials, a test program reads them from $CREDENTIALS_DIRECTORY and answers with their digests.
 */
class SecretsIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String APP = """
            import hashlib, http.server, json, os
            def digest(b):
                return hashlib.sha256(b).hexdigest()[:16]
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    out = {"color": os.environ.get("ORCH_COLOR"), "env": digest(os.environ.get("DB_PASSWORD", "").encode())}
                    d = os.environ.get("CREDENTIALS_DIRECTORY")
                    for n in ["DB_PASSWORD", "config.json"] if d else []:
                        try:
                            with open(os.path.join(d, n), "rb") as f:
                                out["cred:" + n] = digest(f.read())
                        except OSError as e:
                            out["cred:" + n] = "error: " + str(e)
                    body = json.dumps(out, sort_keys=True).encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *args):
                    pass
            http.server.HTTPServer(("127.0.0.1", int(os.environ["PORT"])), H).serve_forever()
            """;

    OrchdOnSystemd orch;
    Path script;
    int port;
    /** Every plain text this test sealed: none may show up anywhere. */
    final List<String> plain = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        orch = new OrchdOnSystemd(SYSTEMD);
        script = orch.dir().resolve("secret_app.py");
        Files.writeString(script, APP);
        port = OrchdOnSystemd.freePort();
        orch.start();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            orch.orchctl("delete", "app", "web");
            await().atMost(Duration.ofSeconds(30)).until(() -> SYSTEMD.exec("systemctl", "list-units", "--all", "--no-legend", "orch-web-*").stdout().isBlank());
        } finally {
            orch.close();
        }
    }

    @Test
    void sealedValuesReachTheAppAsCredentialsAndNowhereElse() throws Exception {
        // the host key: made on first start, private part root-only
        String recipient = ok("get", "sealing-key").strip();
        assertThat(recipient).matches("age1[0-9a-z]{58}");
        Path keys = orch.stateDir().resolve("sealing-keys");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.resolve("key-0001.txt")))).isEqualTo("rw-------");

        // 1. the plain age command (the documented one-liner) seals the env var, orchctl seal the file
        String pw1 = secret("pw1");
        String cfg = secret("cfg");
        String env1 = ageOneLiner("web", recipient, pw1);
        String file1 = sealWithOrchctl("web", cfg);
        Path m1 = manifest("m1", env1, file1);
        ok("apply", "-f", m1.toString());
        awaitServing(pw1, cfg);
        String blue = get();
        String colorV1 = color(blue);

        String unit = Files.readString(SYSTEMD.path("/run/systemd/system/orch-web-" + colorV1 + "-0.service"));
        assertThat(unit).contains("LoadCredential=DB_PASSWORD:/run/orch/secrets/web-" + colorV1 + "/DB_PASSWORD",
                "LoadCredential=config.json:/run/orch/secrets/web-" + colorV1 + "/config.json",
                "EnvironmentFile=/run/orch/secrets/web-" + colorV1 + ".env");
        Path staged = SYSTEMD.path("/run/orch/secrets/web-" + colorV1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(staged))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(staged.resolve("DB_PASSWORD")))).isEqualTo("r--------");
        String yaml = ok("get", "app", "web", "-o", "yaml");
        assertThat(yaml).contains("sealedValue").contains("-----BEGIN AGE ENCRYPTED FILE-----");

        // 2. a changed secret is a new revision through blue/green; undo brings the old one back
        String pw2 = secret("pw2");
        String env2 = ageOneLiner("web", recipient, pw2);
        ok("apply", "-f", manifest("m2", env2, file1).toString());
        awaitServing(pw2, cfg);
        assertThat(color(get())).isNotEqualTo(colorV1);
        String diff = orch.orchctl("diff", "-f", m1.toString()).stdout();
        // the diff names the changed secret by its ciphertexts' digests: one line each side, no armor
        assertThat(diff).containsPattern("(?m)^-\\s+sealedValue: \"" + Sealer.digest(env2) + "\"$")
                .containsPattern("(?m)^\\+\\s+sealedValue: \"" + Sealer.digest(env1) + "\"$")
                .doesNotContain("AGE ENCRYPTED");
        ok("rollout", "undo", "web");
        awaitServing(pw1, cfg);

        // 3. values that do not open: tampered, another app's, another host's; each stalls, the live color serves on
        String live = get();
        String tampered = tamper(env1);
        String otherApp = ageOneLiner("api", recipient, secret("api"));
        String otherHostRecipient = SealingKeys.recipientOf(AgeTool.fromPath().newIdentity());
        String otherHost = ageOneLiner("web", otherHostRecipient, secret("foreign"));
        String[][] cases = {
            {tampered, "spec.template.env[1].sealedValue (DB_PASSWORD) does not open: "},
            {otherApp, "spec.template.env[1].sealedValue (DB_PASSWORD) does not open: it was sealed for app \\\"api\\\", not \\\"web\\\""},
            {otherHost, "spec.template.env[1].sealedValue (DB_PASSWORD) does not open: no identity matched any of the recipients"},
        };
        int n = 0;
        for (String[] c : cases) {
            ok("apply", "-f", manifest("bad" + (++n), c[0], file1).toString());
            int k = n;
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() ->
                    assertThat(ok("get", "app", "web", "-o", "json")).as("case %d", k).contains("SecretNotOpened", c[1]));
            assertThat(get()).isEqualTo(live);
        }

        // 4. rotation: key 1 and key 2 both open; --reseal moves the file's values to key 2 only
        ok("rotate", "sealing-key");
        String recipient2 = ok("get", "sealing-key").strip();
        assertThat(recipient2).isNotEqualTo(recipient).matches("age1[0-9a-z]{58}");
        String pw3 = secret("pw3");
        Path mixed = manifest("m3", env1, sealWithOrchctl("web", pw3));
        ok("apply", "-f", mixed.toString());
        awaitServingFile(pw1, pw3);
        assertThat(ok("seal", "--reseal", "-f", mixed.toString())).contains("2 sealed value(s) resealed");
        String resealed = Files.readString(mixed);
        List<String> values = sealedValues(resealed);
        assertThat(values).hasSize(2);
        for (String v : values) {
            assertThat(age(List.of("age", "-d", "-i", keys.resolve("key-0002.txt").toString()), v).exitCode()).isZero();
            assertThat(age(List.of("age", "-d", "-i", keys.resolve("key-0001.txt").toString()), v).exitCode()).isEqualTo(1);
        }
        ok("apply", "-f", mixed.toString());
        assertThat(get()).contains(digest(pw1), digest(pw3));

        // 5. no plain text anywhere: state dir, /etc, /run (but the root-only delivery dirs), units, journal, API answers
        List<String> answers = List.of(yaml, diff, ok("get", "app", "web", "-o", "json"), ok("get", "app", "web", "-o", "yaml"),
                ok("describe", "app", "web"), ok("events", "--app", "web"), ok("audit"), ok("rollout", "history", "web"),
                SYSTEMD.exec("journalctl", "--no-pager", "-o", "verbose").stdout(), orch.logs());
        for (String p : plain) {
            for (String a : answers) {
                assertThat(a).doesNotContain(p);
            }
            assertThat(grep(p, orch.stateDir(), SYSTEMD.path("/etc"), SYSTEMD.path("/var/lib/systemd"), SYSTEMD.path("/var/lib/private"))).as("grep %s", p).isEmpty();
            assertThat(grep(p, SYSTEMD.path("/run"))).as("grep %s in /run", p)
                    .allMatch(f -> f.contains("/run/orch/secrets/") || f.contains("/run/credentials/"));
        }

        // 6. systemd-analyze security: the unit with credentials scores no worse than the same unit without them
        String c = color(get());
        String withCreds = Files.readString(SYSTEMD.path("/run/systemd/system/orch-web-" + c + "-0.service"));
        String without = withCreds.lines().filter(l -> !l.startsWith("LoadCredential=") && !l.contains("/run/orch/secrets/"))
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(exposure(withCreds, "with")).isLessThanOrEqualTo(exposure(without, "without"));
    }

    private double exposure(String unitText, String name) throws IOException {
        Path dir = SYSTEMD.path("/run/orch-analyze");
        Files.createDirectories(dir);
        Path f = dir.resolve("orch-" + name + ".service");
        Files.writeString(f, unitText);
        var r = SYSTEMD.exec("systemd-analyze", "security", "--offline=true", "/run/orch-analyze/orch-" + name + ".service");
        Matcher m = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d)").matcher(r.stdout() + r.stderr());
        assertThat(m.find()).as("systemd-analyze security output: %s", r).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private String secret(String label) {
        String s = label + "-" + UUID.randomUUID().toString().replace("-", "");
        plain.add(s);
        return s;
    }

    private String ok(String... args) {
        OrchDist.Result r = orch.orchctl(args);
        assertThat(r.exitCode()).as("orchctl %s: %s\n%s", String.join(" ", args), r, orch.logs()).isZero();
        return r.stdout();
    }

    /** The documented plain-age way: header line, value, {@code age -a -r}; the value on stdin only. */
    private String ageOneLiner(String app, String recipient, String value) {
        OrchDist.Result r = age(List.of("sh", "-c", "(printf 'orch-sealed app=%s\\n' \"$1\"; cat) | age -a -r \"$2\"", "sh", app, recipient), value);
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r.stdout();
    }

    private String sealWithOrchctl(String app, String value) throws IOException, InterruptedException {
        ProcessBuilder pb = orch.dist().orchctlProcess("seal", "--app", app);
        Process p = pb.start();
        p.getOutputStream().write(value.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("orchctl seal: %s", err).isZero();
        assertThat(out).startsWith("-----BEGIN AGE ENCRYPTED FILE-----");
        return out;
    }

    private static OrchDist.Result age(List<String> argv, String stdin) {
        try {
            Process p = new ProcessBuilder(argv).start();
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            return new OrchDist.Result(p.waitFor(), out, err);
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Flips one base64 character of the ciphertext's body. */
    private static String tamper(String armored) {
        String[] lines = armored.split("\n");
        String l = lines[3];
        lines[3] = l.substring(0, 10) + (l.charAt(10) == 'A' ? 'B' : 'A') + l.substring(11);
        return String.join("\n", lines) + "\n";
    }

    private Path manifest(String name, String envSealed, String fileSealed) throws IOException {
        Path f = orch.dir().resolve("web-" + name + ".yaml");
        Files.writeString(f, """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  route:
                    port: %d
                    bindAddress: 127.0.0.1
                    drainTimeoutSeconds: 1
                  strategy:
                    blueGreen:
                      keepWarmSeconds: 0
                  template:
                    command: ["/usr/bin/python3"]
                    args: ["$(ARTIFACT)"]
                    artifact:
                      path: %s
                    env:
                      - name: PLAIN
                        value: visible
                      - name: DB_PASSWORD
                        sealedValue: |
                %s
                    secretFiles:
                      - name: config.json
                        sealedValue: |
                %s
                    readinessProbe:
                      httpGet:
                        path: /
                      periodSeconds: 1
                    terminationGracePeriodSeconds: 2
                """.formatted(port, script, indent(envSealed), indent(fileSealed)));
        return f;
    }

    private static String indent(String armored) {
        return armored.strip().lines().map(l -> "          " + l).reduce((a, b) -> a + "\n" + b).orElseThrow();
    }

    private static List<String> sealedValues(String yaml) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(-----BEGIN AGE ENCRYPTED FILE-----.*?-----END AGE ENCRYPTED FILE-----)", Pattern.DOTALL).matcher(yaml);
        while (m.find()) {
            out.add(m.group(1).lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElseThrow() + "\n");
        }
        return out;
    }

    private String get() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String color(String answer) {
        Matcher m = Pattern.compile("\"color\": \"(\\w+)\"").matcher(answer);
        assertThat(m.find()).as(answer).isTrue();
        return m.group(1);
    }

    private void awaitServing(String envValue, String fileValue) {
        try {
            awaitAnswer(envValue, fileValue);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("credentials: " + SYSTEMD.exec("sh", "-c", "ls -laR /run/credentials /run/orch/secrets; getfacl -R /run/credentials")
                    + "\n" + orch.logs(), e);
        }
    }

    private void awaitAnswer(String envValue, String fileValue) {
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().untilAsserted(() -> assertThat(get())
                .contains("\"env\": \"" + digest(envValue) + "\"", "\"cred:DB_PASSWORD\": \"" + digest(envValue) + "\"",
                        "\"cred:config.json\": \"" + digest(fileValue) + "\""));
    }

    private void awaitServingFile(String envValue, String fileValue) {
        awaitServing(envValue, fileValue);
    }

    static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Files under the directories that hold {@code text} ({@code grep -rlF}), as paths inside the namespace where they are. */
    private static List<String> grep(String text, Path... dirs) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("grep", "-rlsF", "--", text));
        for (Path d : dirs) {
            argv.add(d.toString());
        }
        Process p = new ProcessBuilder(argv).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().toList();
    }
}
