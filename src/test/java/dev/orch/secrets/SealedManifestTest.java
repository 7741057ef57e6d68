package dev.orch.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.manifest.EnvVar;
import dev.orch.manifest.LoadResult;
import dev.orch.manifest.ManifestError;
import dev.orch.manifest.ManifestLoader;
import dev.orch.manifest.SecretFile;
import dev.orch.manifest.Template;
import dev.orch.reconcile.RevisionHash;
import java.util.List;
import org.junit.jupiter.api.Test;

/** env[].sealedValue and template.secretFiles: read, checked with file/line/field errors, part of the revision. */
class SealedManifestTest {
    static final String CT1 = "-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YxCg==\n-----END AGE ENCRYPTED FILE-----";
    static final String CT2 = "-----BEGIN AGE ENCRYPTED FILE-----\nYWdlLWVuY3J5cHRpb24ub3JnL3YyCg==\n-----END AGE ENCRYPTED FILE-----";

    static String manifest(String envItems, String files) {
        return """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  route:
                    port: 8080
                  template:
                    command: ["/usr/bin/web"]
                    env:
                %s
                %s
                """.formatted(envItems, files);
    }

    /** An item of a list at the env list's indentation, the ciphertext double-quoted on one line. */
    static String sealedEnv(String name, String ct) {
        return "      - name: " + name + "\n        sealedValue: \"" + ct.replace("\n", "\\n") + "\"\n";
    }

    private static List<String> errors(String text) {
        LoadResult r = new ManifestLoader().loadString("web.yaml", text);
        return r.errors().stream().map(ManifestError::toString).toList();
    }

    private static Template template(String text) {
        LoadResult r = new ManifestLoader().loadString("web.yaml", text);
        assertThat(r.errors()).isEmpty();
        return r.manifests().get(0).deployment().spec().template();
    }

    @Test
    void readsSealedEnvAndSecretFiles() {
        String text = manifest("      - name: PLAIN\n        value: x\n" + sealedEnv("DB_PASSWORD", CT1),
                "    secretFiles:\n" + sealedEnv("tls.key", CT2));
        Template t = template(text);
        assertThat(t.env()).containsExactly(new EnvVar("PLAIN", "x"),
                new EnvVar("DB_PASSWORD", null, CT1 + "\n"));
        assertThat(t.secretFiles()).containsExactly(new SecretFile("tls.key", CT2 + "\n"));
        assertThat(t.hasSecrets()).isTrue();
    }

    @Test
    void aChangedCiphertextIsANewRevisionAndAManifestWithoutSecretsKeepsItsHash() {
        String one = manifest(sealedEnv("DB_PASSWORD", CT1), "");
        String two = manifest(sealedEnv("DB_PASSWORD", CT2), "");
        assertThat(RevisionHash.of(template(one), null)).isNotEqualTo(RevisionHash.of(template(two), null));
        Template plain = template(manifest("      - name: A\n        value: b\n", ""));
        Template old = new Template(plain.command(), plain.args(), plain.env(), null, null, "PORT", null, null, null,
                plain.resources(), plain.hardening(), plain.terminationGracePeriodSeconds());
        assertThat(dev.orch.manifest.Manifests.canonicalJson(plain)).doesNotContain("secretFiles", "sealedValue");
        assertThat(RevisionHash.of(plain, null)).isEqualTo(RevisionHash.of(old, null));
    }

    @Test
    void redactionShowsEachSealedValueAsItsCiphertextDigest() {
        var d = new ManifestLoader().loadString("web.yaml", manifest(sealedEnv("DB", CT1), "    secretFiles:\n" + sealedEnv("f", CT2)))
                .manifests().get(0).deployment();
        String yaml = dev.orch.manifest.Manifests.toYaml(dev.orch.manifest.SealedDigests.redact(d));
        assertThat(yaml).contains("sealedValue: \"" + Sealer.digest(CT1) + "\"\n", "sealedValue: \"" + Sealer.digest(CT2) + "\"\n")
                .doesNotContain("AGE ENCRYPTED");
        assertThat(Sealer.digest(CT1)).matches("sha256:[0-9a-f]{12}").isNotEqualTo(Sealer.digest(CT2));
    }

    @Test
    void badSealedValuesAreReportedWithFileLineAndField() {
        assertThat(errors(manifest("      - name: DB\n        sealedValue: hunter2\n", "")))
                .containsExactly("web.yaml:12:22: spec.template.env[0].sealedValue: must be age armored ciphertext"
                        + " (-----BEGIN AGE ENCRYPTED FILE----- ... -----END AGE ENCRYPTED FILE-----): make one with orchctl seal"
                        + " or age -a -r (see docs/secrets.md)");
        assertThat(errors(manifest(sealedEnv("DB", CT1).replace("        sealedValue", "        value: x\n        sealedValue"), "")))
                .containsExactly("web.yaml:13:22: spec.template.env[0].sealedValue: set either value or sealedValue, not both");
        assertThat(errors(manifest(sealedEnv("DB", CT1), "    secretFiles:\n      - name: ../etc\n        sealedValue: x\n")))
                .contains("web.yaml:15:15: spec.template.secretFiles[0].name: must be 1 to 64 of A-Z a-z 0-9 _ . -"
                        + " (not starting with . or -), got \"../etc\"");
        assertThat(errors(manifest(sealedEnv("DB", CT1), "    secretFiles:\n" + sealedEnv("DB", CT2))))
                .containsExactly("web.yaml:15:15: spec.template.secretFiles[0].name: \"DB\" is already a credential (env[0]):"
                        + " every sealed env var is also delivered as a credential of its name");
        assertThat(errors(manifest(sealedEnv("DB", CT1), "    secretFiles:\n      - sealedValue: x\n")))
                .anyMatch(e -> e.contains("spec.template.secretFiles[0]") && e.contains("name"));
    }
}
