package dev.orch.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.EnvVar;
import dev.orch.manifest.SecretFile;
import dev.orch.state.Color;
import dev.orch.systemd.InstanceId;
import dev.orch.systemd.LaunchPlan;
import dev.orch.systemd.RenderedUnit;
import dev.orch.systemd.Scope;
import dev.orch.systemd.ServiceSpec;
import dev.orch.systemd.UnitRenderer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How sealed values reach a unit: credentials from the color's tmpfs directory, never a value in a file orch renders. */
class CredentialUnitsTest {
    static final String CT = "-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n";

    @Test
    void sealedValuesBecomeLoadCredentialLinesAndAnEnvFileOnTmpfs() {
        var t = SealerTest.template(List.of(new EnvVar("PLAIN", "p"), new EnvVar("DB_PASSWORD", null, CT)),
                List.of(new SecretFile("tls.key", CT)));
        ServiceSpec spec = new ServiceSpec(new InstanceId("web", Color.GREEN, 0), "abc", "apply", 9000, t, null);
        RenderedUnit r = new UnitRenderer(new UnitRenderer.Options(Scope.SYSTEM, "/var/lib/orchd/env", "/run/orch/secrets")).render(spec);
        assertThat(r.unitText()).contains(
                "LoadCredential=DB_PASSWORD:/run/orch/secrets/web-green/DB_PASSWORD\n"
                        + "LoadCredential=tls.key:/run/orch/secrets/web-green/tls.key\n"
                        + "EnvironmentFile=/run/orch/secrets/web-green.env\n");
        assertThat(r.unitText()).doesNotContain("YWdl");
        assertThat(r.envText()).contains("PLAIN=\"p\"").doesNotContain("DB_PASSWORD", "YWdl");
        assertThat(LaunchPlan.of(spec).env()).doesNotContainKey("DB_PASSWORD");
    }

    @Test
    void aTemplateWithoutSecretsRendersNoCredentials() {
        var t = SealerTest.template(List.of(new EnvVar("PLAIN", "p")), List.of());
        ServiceSpec spec = new ServiceSpec(new InstanceId("web", Color.BLUE, 0), "abc", "apply", 9000, t, null);
        String unit = new UnitRenderer(new UnitRenderer.Options(Scope.SYSTEM, "/var/lib/orchd/env")).render(spec).unitText();
        assertThat(unit).doesNotContain("LoadCredential", "/run/orch/secrets");
    }
}
