package dev.orch.systemd;

import dev.orch.manifest.Artifact;
import dev.orch.manifest.EnvVar;
import dev.orch.manifest.Hardening;
import dev.orch.manifest.Resources;
import dev.orch.manifest.Template;
import dev.orch.state.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The representative manifests whose rendered files are pinned under {@code src/test/resources/golden/<case>/}.
 * Every command names a binary that exists on the test machines, so {@code systemd-analyze verify} can load them.
 */
final class GoldenCases {
    static final Path DIR = Path.of("src/test/resources/golden");
    static final UnitRenderer.Options SYSTEM = new UnitRenderer.Options(Scope.SYSTEM, SystemdConfig.SYSTEM_ENV_DIR);
    static final UnitRenderer.Options USER = new UnitRenderer.Options(Scope.USER, "/home/dev/.config/orch/env");

    record Case(String name, UnitRenderer.Options options, ServiceSpec spec) {}

    private GoldenCases() {}

    static List<Case> all() {
        Template sleep = Specs.template(List.of("/bin/sleep"), List.of("infinity"));
        Template py = Specs.template(List.of("/usr/bin/python3"), List.of("-m", "http.server", "--bind", "127.0.0.1", "$(PORT)"));
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("minimal", SYSTEM, Specs.spec("web", Color.BLUE, 0, 20000, sleep)));
        cases.add(new Case("args-and-env", SYSTEM, Specs.spec("api", Color.BLUE, 0, 20010, Specs.withEnv(py, List.of(
                new EnvVar("LOG_LEVEL", "info"),
                new EnvVar("PUBLIC_URL", "http://127.0.0.1:$(PORT)/api"),
                new EnvVar("DB_PASSWORD", "s3cr\"et $HOME `x` \\ 100%"),
                new EnvVar("ESCAPED", "$$(PORT) stays literal"))))));
        List<String> hostile = new ArrayList<>(List.of("-c", "import time; time.sleep(600)"));
        hostile.addAll(Specs.HOSTILE);
        cases.add(new Case("hostile-args", SYSTEM, Specs.spec("hostile", Color.BLUE, 0, 20020,
                Specs.template(List.of("/usr/bin/python3"), hostile))));
        cases.add(new Case("explicit-user-workdir", SYSTEM, Specs.spec("shop", Color.GREEN, 0, 20030,
                Specs.withWorkingDir(Specs.withUser(py, "www-data"), "/srv/shop 100%/current"))));
        cases.add(new Case("resource-limits", SYSTEM, Specs.spec("batch", Color.BLUE, 0, 20040,
                Specs.withResources(sleep, new Resources(new Resources.Limits("512Mi", "1555m"))))));
        cases.add(new Case("hardening-relaxed", SYSTEM, Specs.spec("legacy", Color.BLUE, 0, 20050,
                Specs.withHardening(sleep, new Hardening(false, "full", "read-only", true, false, true, true, true, true, false,
                        List.of("/var/data/my app", "/srv/100%", "/opt/$weird\"name"))))));
        cases.add(new Case("replica-green", SYSTEM, Specs.spec("web", Color.GREEN, 2, 20062, py)));
        cases.add(new Case("artifact-jar", SYSTEM, Specs.spec("billing", Color.GREEN, 0, 20070,
                Specs.withGrace(Specs.withPortEnv(Specs.withArtifact(
                        Specs.template(List.of("/usr/bin/java"), List.of("-Xmx256m", "-jar", "$(ARTIFACT)", "--server.port=$(SERVER_PORT)")),
                        new Artifact(null, "https://repo.example.com/billing-1.4.2.jar", "ab".repeat(32), null)), "SERVER_PORT"), 0),
                "/var/lib/orchd/artifacts/sha256/" + "ab".repeat(32))));
        cases.add(new Case("user-scope", USER, Specs.spec("dev", Color.BLUE, 0, 20080, py)));
        // the longest name a manifest can carry (Rules.MAX_APP_NAME_LENGTH): User=orch-<name> is exactly 31 characters
        cases.add(new Case("longest-app-name", SYSTEM, Specs.spec("a-26-character-app-name-ok", Color.BLUE, 0, 20090, sleep)));
        return cases;
    }

    /** file name -> expected content, for one case. */
    static Map<String, String> render(Case c) {
        RenderedUnit r = new UnitRenderer(c.options()).render(c.spec());
        Map<String, String> files = new LinkedHashMap<>();
        files.put(r.unitName(), r.unitText());
        files.put(r.envFileName(), r.envText());
        return files;
    }
}
