package dev.orch.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.manifest.EnvVar;
import dev.orch.manifest.SecretFile;
import dev.orch.manifest.Template;
import dev.orch.manifest.Hardening;
import dev.orch.manifest.Resources;
import dev.orch.systemd.SecretPayload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sealing and opening through the real age command, with keys made by the real age-keygen. */
class SealerTest {
    private static final AgeTool AGE = AgeTool.fromPath();

    @TempDir
    Path state;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void firstKeyIsPrivateAndItsRecipientIsAnAgeX25519Recipient() throws Exception {
        SealingKeys keys = new SealingKeys(state, AGE);
        keys.ensure();
        keys.ensure(); // idempotent: still one key
        assertThat(keys.list()).hasSize(1);
        SealingKeys.Key k = keys.newest();
        assertThat(k.recipient()).matches("age1[0-9a-z]{58}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("sealing-keys")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(k.file()))).isEqualTo("rw-------");
        assertThat(Files.readString(k.file())).contains("AGE-SECRET-KEY-1");
    }

    @Test
    void opensItsOwnAppsValueAndRefusesAnotherAppsTamperedOrForeignOnes() {
        SealingKeys keys = new SealingKeys(state, AGE);
        keys.ensure();
        Sealer s = new Sealer(keys, AGE);
        String sealed = s.seal("web", b("hunter2"));
        assertThat(sealed).startsWith("-----BEGIN AGE ENCRYPTED FILE-----").doesNotContain("hunter2");
        assertThat(new String(s.open("web", sealed), StandardCharsets.UTF_8)).isEqualTo("hunter2");

        assertThatThrownBy(() -> s.open("api", sealed)).isInstanceOf(AgeException.class)
                .hasMessage("it was sealed for app \"web\", not \"api\"");
        String[] lines = sealed.split("\n");
        char c = lines[2].charAt(5);
        lines[2] = lines[2].substring(0, 5) + (c == 'A' ? 'B' : 'A') + lines[2].substring(6);
        String tampered = String.join("\n", lines) + "\n";
        assertThatThrownBy(() -> s.open("web", tampered)).isInstanceOf(AgeException.class).message().doesNotContain("hunter2").isNotBlank();

        String otherRecipient = SealingKeys.recipientOf(AGE.newIdentity());
        String foreign = AGE.encrypt(List.of(otherRecipient), Envelope.wrap("web", b("hunter2")));
        assertThatThrownBy(() -> s.open("web", foreign)).isInstanceOf(AgeException.class)
                .hasMessageContaining("no identity matched any of the recipients");

        String bare = AGE.encrypt(List.of(keys.newest().recipient()), b("hunter2"));
        assertThatThrownBy(() -> s.open("web", bare)).isInstanceOf(AgeException.class)
                .hasMessageStartingWith("it opens but has no 'orch-sealed app=<app>' first line");
    }

    @Test
    void afterARotationOldAndNewOpenAndResealMovesAValueToTheNewestKeyOnly() throws Exception {
        SealingKeys keys = new SealingKeys(state, AGE);
        keys.ensure();
        Sealer s = new Sealer(keys, AGE);
        String one = s.seal("web", b("v1"));
        SealingKeys.Key second = keys.rotate();
        assertThat(second.number()).isEqualTo(2);
        String two = s.seal("web", b("v2"));
        assertThat(s.open("web", one)).isEqualTo(b("v1"));
        assertThat(s.open("web", two)).isEqualTo(b("v2"));
        Path first = keys.list().get(0).file();
        assertThat(AGE.decrypt(List.of(first), one)).isEqualTo(Envelope.wrap("web", b("v1")));
        assertThatThrownBy(() -> AGE.decrypt(List.of(first), two)).isInstanceOf(AgeException.class);

        String resealed = s.reseal("web", one);
        assertThat(AGE.decrypt(List.of(second.file()), resealed)).isEqualTo(Envelope.wrap("web", b("v1")));
        assertThatThrownBy(() -> AGE.decrypt(List.of(first), resealed)).isInstanceOf(AgeException.class);
    }

    @Test
    void openAllNamesTheFieldThatDoesNotOpenNeverTheValue() {
        SealingKeys keys = new SealingKeys(state, AGE);
        keys.ensure();
        Sealer s = new Sealer(keys, AGE);
        Template ok = template(List.of(new EnvVar("PLAIN", "x"), new EnvVar("DB_PASSWORD", null, s.seal("web", b("pw-1")))),
                List.of(new SecretFile("tls.key", s.seal("web", b("key\0bytes")))));
        SecretPayload p = s.openAll("web", ok);
        assertThat(p.env()).containsOnlyKeys("DB_PASSWORD");
        assertThat(p.env().get("DB_PASSWORD")).isEqualTo("pw-1");
        assertThat(p.credentials()).containsOnlyKeys("DB_PASSWORD", "tls.key");
        assertThat(p.credentials().get("tls.key")).isEqualTo(b("key\0bytes"));
        assertThat(p.toString()).isEqualTo("SecretPayload[DB_PASSWORD, tls.key]");

        Template other = template(List.of(new EnvVar("DB_PASSWORD", null, s.seal("api", b("pw-1")))), List.of());
        assertThatThrownBy(() -> s.openAll("web", other)).isInstanceOf(SecretException.class)
                .hasMessage("spec.template.env[0].sealedValue (DB_PASSWORD) does not open: it was sealed for app \"api\", not \"web\"");
        Template file = template(List.of(), List.of(new SecretFile("tls.key", s.seal("api", b("k")))));
        assertThatThrownBy(() -> s.openAll("web", file)).isInstanceOf(SecretException.class)
                .hasMessageStartingWith("spec.template.secretFiles[0].sealedValue (tls.key) does not open: ");
    }

    @Test
    void digestIsShortAndOfTheCiphertext() {
        assertThat(Sealer.digest("abc\n")).isEqualTo("sha256:ba7816bf8f01");
    }

    static Template template(List<EnvVar> env, List<SecretFile> files) {
        return new Template(List.of("/bin/true"), List.of(), env, null, null, "PORT", null, null, null,
                Resources.NONE, Hardening.DEFAULTS, 5, files);
    }
}
