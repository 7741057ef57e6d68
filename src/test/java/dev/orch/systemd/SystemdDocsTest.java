package dev.orch.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.Rules;
import dev.orch.state.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/systemd.md's facts about names and the process driver's paths are the code's. */
class SystemdDocsTest {
    static final Path DOC = Path.of("docs/systemd.md");

    @Test
    void theKeysUserScopeOmitsAreTheRenderersList() throws IOException {
        String doc = Files.readString(Path.of("docs/systemd.md"));
        String para = doc.substring(doc.indexOf("**User scope** omits"), doc.indexOf("What works unprivileged stays"));
        java.util.List<String> listed = java.util.regex.Pattern.compile("`([A-Za-z]+)`").matcher(para).results()
                .map(m -> m.group(1)).filter(k -> !k.equals("PrivateUsers")).toList();
        assertThat(listed).containsExactlyElementsOf(UnitRenderer.SYSTEM_ONLY);
    }

    @Test
    void theAppNameLimitIsTheManifestRule() throws IOException {
        String doc = Files.readString(DOC);
        assertThat(doc).contains("App names are RFC 1123 labels (1 to " + Rules.MAX_APP_NAME_LENGTH + " characters)")
                .contains("app names have at most " + Rules.MAX_APP_NAME_LENGTH + ".")
                .doesNotContain("63-character");
        assertThat(Rules.appName("a".repeat(Rules.MAX_APP_NAME_LENGTH))).isNull();
        assertThat(Rules.appName("a".repeat(Rules.MAX_APP_NAME_LENGTH + 1)))
                .startsWith("must be 1 to " + Rules.MAX_APP_NAME_LENGTH + " characters long (got " + (Rules.MAX_APP_NAME_LENGTH + 1) + ")");
    }

    @Test
    void theProcessDriversPathsAreTheOnesItWrites() throws IOException {
        String doc = Files.readString(DOC);
        // DaemonRoot gives the process driver <orch.state-dir>/process
        ProcessDriver d = new ProcessDriver(ProcessDriverConfig.defaults(Path.of("<orch.state-dir>/process")));
        InstanceId id = new InstanceId("web", Color.BLUE, 0);
        assertThat(d.stdoutLog(id).toString().replace(id.baseName(), "<instance>")).isEqualTo("<orch.state-dir>/process/logs/<instance>.stdout.log");
        assertThat(d.stderrLog(id).toString().replace(id.baseName(), "<instance>")).isEqualTo("<orch.state-dir>/process/logs/<instance>.stderr.log");
        assertThat(doc).contains("`<orch.state-dir>/process/logs/<instance>.stdout.log` / `.stderr.log`")
                .contains("`STATE_DIRECTORY=<orch.state-dir>/process/apps/<app>`");
        d.close();
    }
}
