package dev.orch.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLoaderTest {
    static final String MINIMAL = """
            apiVersion: orch.dev/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              route:
                port: 8080
              template:
                command: ["/usr/bin/web"]
            """;

    final ManifestLoader loader = new ManifestLoader();

    static String minimal(String name, int port) {
        return MINIMAL.replace("name: web", "name: " + name).replace("8080", String.valueOf(port));
    }

    @Test
    void fillsEveryDefault() {
        LoadResult result = loader.loadString("web.yaml", MINIMAL);

        assertThat(result.errors()).isEmpty();
        Deployment expected = new Deployment("orch.dev/v1", "Deployment", new ObjectMeta("web", Map.of(), Map.of()),
                new DeploymentSpec(1,
                        new RouteSpec(8080, Protocol.HTTP, "0.0.0.0", null, 30),
                        new Template(List.of("/usr/bin/web"), List.of(), List.of(), null, null, "PORT", null, null, null,
                                Resources.NONE, Hardening.DEFAULTS, 30),
                        new Strategy("BlueGreen", new Strategy.BlueGreen(true, 300)),
                        600, 10));
        assertThat(result.deployments()).containsExactly(expected);
        assertThat(result.manifests().get(0).file()).isEqualTo("web.yaml");
        assertThat(result.manifests().get(0).line()).isEqualTo(1);
    }

    @Test
    void theReplicaAndNameLimitsAreTheOnesTheDocsState() throws IOException {
        int max = DeploymentSpec.MAX_REPLICAS;
        String withMax = MINIMAL.replace("spec:\n", "spec:\n  replicas: " + max + "\n");
        assertThat(single(loader.loadString("max.yaml", withMax)).spec().replicas()).isEqualTo(max);
        assertThat(loader.loadString("over.yaml", withMax.replace("replicas: " + max, "replicas: " + (max + 1))).errors())
                .extracting(Object::toString).containsExactly("over.yaml:6:13: spec.replicas: must be between 1 and " + max + ", got " + (max + 1));
        String manifestDoc = Files.readString(Path.of("docs/manifest.md"));
        assertThat(manifestDoc).contains("| `replicas` | integer | `1` | 1.." + max + ";", "processes per color, 1.." + max + " ",
                "1 to " + Rules.MAX_APP_NAME_LENGTH + " characters");
        assertThat(Files.readString(Path.of("README.md")))
                .contains("at most " + Rules.MAX_APP_NAME_LENGTH + " characters", "1.." + max + " processes per color");
        assertThat(Files.readString(Path.of("docs/systemd.md")))
                .contains("(1 to " + Rules.MAX_APP_NAME_LENGTH + " characters)", "at most " + max + " replicas");
    }

    @Test
    void fillsProbeDefaultsAsKubernetesDoes() {
        String text = MINIMAL + """
                    readinessProbe:
                      httpGet: {}
                    livenessProbe:
                      tcpSocket: {}
                """;
        Template t = single(loader.loadString("p.yaml", text)).spec().template();

        assertThat(t.readinessProbe()).isEqualTo(new Probe(
                new Probe.HttpGetAction("/", null, "127.0.0.1", "HTTP", List.of()), null, null, 0, 10, 1, 1, 3));
        assertThat(t.livenessProbe()).isEqualTo(new Probe(
                null, new Probe.TcpSocketAction(null, "127.0.0.1"), null, 0, 10, 1, 1, 3));
    }

    @Test
    void readsEveryField() {
        String text = """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: api
                  labels: {app.kubernetes.io/name: api, tier: ""}
                  annotations: {example.com/owner: "team a: backend"}
                spec:
                  replicas: 3
                  progressDeadlineSeconds: 90
                  revisionHistoryLimit: 0
                  route: {port: 443, protocol: tcp, bindAddress: "::", previewPort: 8443, drainTimeoutSeconds: 0}
                  strategy: {blueGreen: {autoPromote: false, keepWarmSeconds: 0}}
                  template:
                    command: [/usr/bin/java]
                    args: ["-jar", "$(ARTIFACT)", "--port=$(HTTP_PORT)"]
                    env: [{name: MODE, value: "on"}, {name: EMPTY}, {name: yes_no, value: yes}]
                    workingDir: /srv/api
                    user: api-svc
                    portEnv: HTTP_PORT
                    artifact: {url: "https://example.com/api.jar", sha256: "ABCDEF0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789"}
                    readinessProbe:
                      httpGet: {path: /ready, port: 9000, host: localhost, scheme: HTTPS, httpHeaders: [{name: X-Probe, value: orch}]}
                      initialDelaySeconds: 2
                      periodSeconds: 3
                      timeoutSeconds: 4
                      successThreshold: 5
                      failureThreshold: 6
                    livenessProbe:
                      exec: {command: [/usr/bin/check, "$(PORT)"]}
                    resources: {limits: {memory: 1Gi, cpu: 1}}
                    hardening: {protectSystem: true, protectHome: read-only, privateDevices: false, readWritePaths: [/var/lib/api]}
                    terminationGracePeriodSeconds: 0
                """;
        Deployment d = single(loader.loadString("api.yaml", text));

        assertThat(d.metadata().labels()).containsOnly(Map.entry("app.kubernetes.io/name", "api"), Map.entry("tier", ""));
        assertThat(d.metadata().annotations()).containsOnly(Map.entry("example.com/owner", "team a: backend"));
        DeploymentSpec s = d.spec();
        assertThat(s.replicas()).isEqualTo(3);
        assertThat(s.progressDeadlineSeconds()).isEqualTo(90);
        assertThat(s.revisionHistoryLimit()).isZero();
        assertThat(s.route()).isEqualTo(new RouteSpec(443, Protocol.TCP, "::", 8443, 0));
        assertThat(s.strategy()).isEqualTo(new Strategy("BlueGreen", new Strategy.BlueGreen(false, 0)));
        Template t = s.template();
        assertThat(t.command()).containsExactly("/usr/bin/java");
        assertThat(t.args()).containsExactly("-jar", "$(ARTIFACT)", "--port=$(HTTP_PORT)");
        // YAML 1.1 booleans such as on and yes are plain strings here.
        assertThat(t.env()).containsExactly(new EnvVar("MODE", "on"), new EnvVar("EMPTY", ""), new EnvVar("yes_no", "yes"));
        assertThat(t.workingDir()).isEqualTo("/srv/api");
        assertThat(t.user()).isEqualTo("api-svc");
        assertThat(t.portEnv()).isEqualTo("HTTP_PORT");
        assertThat(t.artifact()).isEqualTo(new Artifact(null, "https://example.com/api.jar",
                "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789", null));
        assertThat(t.readinessProbe()).isEqualTo(new Probe(
                new Probe.HttpGetAction("/ready", 9000, "localhost", "HTTPS", List.of(new Probe.HttpHeader("X-Probe", "orch"))),
                null, null, 2, 3, 4, 5, 6));
        assertThat(t.livenessProbe().exec().command()).containsExactly("/usr/bin/check", "$(PORT)");
        assertThat(t.resources().limits()).isEqualTo(new Resources.Limits("1Gi", "1"));
        assertThat(t.resources().limits().memoryBytes()).isEqualTo(1L << 30);
        assertThat(t.resources().limits().cpuMillis()).isEqualTo(1000);
        assertThat(t.hardening()).isEqualTo(new Hardening(true, "true", "read-only", true, false, true, true, true, true, true,
                List.of("/var/lib/api")));
        assertThat(t.terminationGracePeriodSeconds()).isZero();
    }

    @Test
    void readsManyDocumentsPerFileAndSkipsEmptyOnes() {
        String text = "# leading comment\n" + minimal("a", 8001) + "---\n# only a comment\n---\n" + minimal("b", 8002)
                + "...\n---\n" + minimal("c", 8003);
        LoadResult result = loader.loadString("many.yaml", text);

        assertThat(result.errors()).isEmpty();
        assertThat(result.deployments()).extracting(Deployment::name).containsExactly("a", "b", "c");
        assertThat(result.manifests()).extracting(LoadedManifest::line).containsExactly(2, 14, 25);
    }

    @Test
    void aDocumentWithErrorsDoesNotStopTheOthers() throws IOException {
        LoadResult result = loader.load(Path.of("src/test/resources/manifests/invalid/valid-then-invalid.yaml"));

        assertThat(result.deployments()).extracting(Deployment::name).containsExactly("good");
        assertThat(result.errors()).hasSize(1);
        assertThat(result.failedFiles()).containsExactly("src/test/resources/manifests/invalid/valid-then-invalid.yaml");
    }

    @Test
    void loadsADirectoryTreeSortedByPathSkippingHiddenAndOtherFiles(@TempDir Path dir) throws IOException {
        write(dir.resolve("b.yaml"), minimal("b", 8002));
        write(dir.resolve("a/z.yml"), minimal("az", 8003));
        write(dir.resolve("a.yaml"), minimal("a", 8001) + "---\n" + minimal("a2", 8004));
        write(dir.resolve("c/d/e.yaml"), minimal("cde", 8005));
        write(dir.resolve("notes.txt"), "not a manifest");
        write(dir.resolve(".github/workflows/ci.yml"), "on: push\n");
        write(dir.resolve(".hidden.yaml"), "broken: [");
        write(dir.resolve("broken.yaml"), "kind: [");

        LoadResult result = loader.load(dir);

        assertThat(result.deployments()).extracting(Deployment::name).containsExactly("a", "a2", "az", "b", "cde");
        assertThat(result.manifests()).extracting(LoadedManifest::file).containsExactly(
                dir.resolve("a.yaml").toString(), dir.resolve("a.yaml").toString(), dir.resolve("a/z.yml").toString(),
                dir.resolve("b.yaml").toString(), dir.resolve("c/d/e.yaml").toString());
        assertThat(result.errors()).singleElement()
                .satisfies(e -> assertThat(e.file()).isEqualTo(dir.resolve("broken.yaml").toString()))
                .satisfies(e -> assertThat(e.message()).startsWith("invalid YAML: "));
    }

    @Test
    void loadsFilesInMemorySortedByNameWithTheirNamesInErrorsAndTheSameLimits() {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("apps/b.yaml", minimal("b", 8002).getBytes(StandardCharsets.UTF_8));
        files.put("apps/a.yaml", (minimal("a", 8001) + "---\n" + minimal("dup", 8003)).getBytes(StandardCharsets.UTF_8));
        files.put("apps/c.yaml", ("\n" + minimal("dup", 8004)).getBytes(StandardCharsets.UTF_8));
        files.put("apps/d.yaml", (MINIMAL + "# " + "x".repeat(1 << 20) + "\n").getBytes(StandardCharsets.UTF_8));
        files.put("apps/e.yaml", new byte[] {(byte) 0xff, 'a'});
        files.put("apps/f.yaml", minimal("f", 8005).replace("    port: 8005", "    port: 8005\n    colour: blue").getBytes(StandardCharsets.UTF_8));

        LoadResult result = loader.loadAll(files);

        assertThat(result.manifests()).extracting(LoadedManifest::location).containsExactly("apps/a.yaml:1", "apps/a.yaml:11", "apps/b.yaml:1");
        assertThat(result.errors()).extracting(Object::toString).containsExactly(
                "apps/c.yaml:5:9: metadata.name: duplicate app name \"dup\": first defined at apps/a.yaml:11, again at apps/c.yaml:2 (the first definition is kept)",
                "apps/d.yaml:1:1: file is larger than 1048576 bytes (the limit for one manifest file)",
                "apps/e.yaml:1:1: not valid UTF-8: byte 0xFF does not start or continue a character",
                "apps/f.yaml:8:5: spec.route.colour: unknown field \"colour\"; allowed: port, protocol, bindAddress, previewPort, drainTimeoutSeconds, hosts, pathPrefix, stripPathPrefix, tls");
    }

    @Test
    void aManifestFileIsAYamlFileWithNoHiddenPart() {
        assertThat(ManifestLoader.isManifestFile("web.yaml")).isTrue();
        assertThat(ManifestLoader.isManifestFile("team/api.yml")).isTrue();
        assertThat(ManifestLoader.isManifestFile("notes.txt")).isFalse();
        assertThat(ManifestLoader.isManifestFile("WEB.YAML")).as("as the directory walk: the suffix is case-sensitive").isFalse();
        assertThat(ManifestLoader.isManifestFile(".github/workflows/ci.yml")).isFalse();
        assertThat(ManifestLoader.isManifestFile("team/.draft.yaml")).isFalse();
    }

    @Test
    void duplicateAppNamesAcrossFilesNameBothPlacesAndKeepTheFirst(@TempDir Path dir) throws IOException {
        write(dir.resolve("1.yaml"), minimal("web", 8001));
        write(dir.resolve("2.yaml"), "\n\n" + minimal("web", 8002));

        LoadResult result = loader.load(dir);

        assertThat(result.deployments()).singleElement().satisfies(d -> assertThat(d.spec().route().port()).isEqualTo(8001));
        assertThat(result.errors()).singleElement().hasToString(dir.resolve("2.yaml") + ":6:9: metadata.name: duplicate app name \"web\": first defined at "
                + dir.resolve("1.yaml") + ":1, again at " + dir.resolve("2.yaml") + ":3 (the first definition is kept)");
    }

    @Test
    void readsStandardInput() {
        byte[] bytes = (minimal("a", 8001) + "---\n" + minimal("b", 0)).getBytes(StandardCharsets.UTF_8);
        LoadResult result = loader.load(ManifestLoader.STDIN, new ByteArrayInputStream(bytes));

        assertThat(result.manifests()).singleElement().satisfies(m -> assertThat(m.file()).isEqualTo("<stdin>"));
        assertThat(result.errors()).extracting(Object::toString)
                .containsExactly("<stdin>:17:11: spec.route.port: must be a port between 1 and 65535, got 0");
    }

    @Test
    void readsJsonBodiesIncludingTabs() {
        String json = "{\n\t\"apiVersion\": \"orch.dev/v1\",\n\t\"kind\": \"Deployment\",\n\t\"metadata\": {\"name\": \"web\"},\n"
                + "\t\"spec\": {\"route\": {\"port\": 8080}, \"template\": {\"command\": [\"/usr/bin/web\"], \"args\": [\"a\\/b\\u00e9\"]}}\n}\n";
        LoadResult result = loader.loadString("api", json);

        assertThat(result.errors()).isEmpty();
        assertThat(single(result)).isEqualTo(single(loader.loadString("yaml", MINIMAL + "    args: [\"a/bé\"]\n")));
    }

    @Test
    void refusesOversizeFilesBeforeParsing(@TempDir Path dir) throws IOException {
        String big = MINIMAL + "# " + "x".repeat(1 << 20) + "\n";
        Path file = dir.resolve("big.yaml");
        write(file, big);
        String message = "file is larger than 1048576 bytes (the limit for one manifest file)";

        assertThat(loader.load(file).errors()).extracting(Object::toString).containsExactly(file + ":1:1: " + message);
        assertThat(loader.load("<stdin>", new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))).errors())
                .extracting(Object::toString).containsExactly("<stdin>:1:1: " + message);
        assertThat(loader.loadString("body", big).errors()).extracting(Object::toString).containsExactly("body:1:1: " + message);
        assertThat(loader.loadString("body", big).manifests()).isEmpty();
    }

    @Test
    void billionLaughsFailsWithOneErrorAndNothingExpanded() {
        StringBuilder bomb = new StringBuilder("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (char c = 'b'; c <= 'z'; c++) {
            bomb.append(c).append(": &").append(c).append(" [").append(("*" + (char) (c - 1) + ", ").repeat(9))
                    .append('*').append((char) (c - 1)).append("]\n");
        }
        LoadResult result = loader.loadString("bomb.yaml", bomb.toString());

        assertThat(result.errors()).singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(7); // the 51st alias: b..f hold 10 each
            assertThat(e.message()).contains("more than 50 aliases");
        });
    }

    @Test
    void aFewAliasesAreFine() {
        String text = MINIMAL + "    args: &args [--a, --b]\n    livenessProbe: {exec: {command: *args}}\n";
        assertThat(single(loader.loadString("alias.yaml", text)).spec().template().livenessProbe().exec().command())
                .containsExactly("--a", "--b");
    }

    @Test
    void errorsPerFileAreBounded() {
        StringBuilder text = new StringBuilder(MINIMAL);
        for (int i = 0; i < 300; i++) {
            text.append("    x").append(i).append(": 1\n");
        }
        LoadResult result = loader.loadString("noisy.yaml", text.toString());

        assertThat(result.errors()).hasSize(NodeReader.MAX_ERRORS_PER_FILE + 1);
        assertThat(result.errors().get(NodeReader.MAX_ERRORS_PER_FILE).message()).startsWith("too many errors");
    }

    @Test
    void emptyInputsYieldNothingAndNoError(@TempDir Path dir) throws IOException {
        write(dir.resolve("empty.yaml"), "");
        write(dir.resolve("comments.yaml"), "# nothing here\n---\n");

        LoadResult result = loader.load(dir);

        assertThat(result.ok()).isTrue();
        assertThat(result.manifests()).isEmpty();
    }

    @Test
    void acceptsAByteOrderMarkAndRefusesInvalidUtf8(@TempDir Path dir) throws IOException {
        Path bom = dir.resolve("bom.yaml");
        Files.write(bom, ("\uFEFF" + MINIMAL).getBytes(StandardCharsets.UTF_8));
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, (MINIMAL + "    args: [\"caf\u00e9\"]\n").getBytes(StandardCharsets.ISO_8859_1));

        assertThat(loader.load(bom).deployments()).hasSize(1);
        assertThat(loader.load(latin1).errors()).extracting(Object::toString)
                .containsExactly(latin1 + ":10:16: not valid UTF-8: byte 0xE9 does not start or continue a character");
    }

    @Test
    void rawControlCharactersAreLocated() {
        assertThat(loader.loadString("bel.yaml", MINIMAL + "    args: [\"a\u0007b\"]\n").errors()).extracting(Object::toString)
                .containsExactly("bel.yaml:10:14: invalid YAML: character U+0007 is not allowed in YAML text");
        assertThat(loader.loadString("nul.yaml", MINIMAL + "    args: [\"a\u0000b\"]\n").errors()).extracting(Object::toString)
                .containsExactly("nul.yaml:10:14: invalid YAML: character U+0000 is not allowed in YAML text");
    }

    @Test
    void missingFileIsAnError(@TempDir Path dir) {
        LoadResult result = loader.load(dir.resolve("nope.yaml"));

        assertThat(result.ok()).isFalse();
        assertThat(result.errors()).singleElement().satisfies(e -> assertThat(e.message()).startsWith("cannot read"));
    }

    @Test
    void errorFormatIsCompilerLike() {
        assertThat(new ManifestError("a.yaml", 3, 5, "spec.route.port", "bad")).hasToString("a.yaml:3:5: spec.route.port: bad");
        assertThat(new ManifestError("a.yaml", 1, 1, "", "invalid YAML: x")).hasToString("a.yaml:1:1: invalid YAML: x");
    }

    static Deployment single(LoadResult result) {
        assertThat(result.errors()).isEmpty();
        assertThat(result.manifests()).hasSize(1);
        return result.deployments().get(0);
    }

    static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
