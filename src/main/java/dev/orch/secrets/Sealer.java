package dev.orch.secrets;

import dev.orch.manifest.EnvVar;
import dev.orch.manifest.SecretFile;
import dev.orch.manifest.Template;
import dev.orch.systemd.SecretPayload;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Seals, opens and reseals values with the host's keys. */
public final class Sealer {
    private final SealingKeys keys;
    private final AgeTool age;

    public Sealer(SealingKeys keys, AgeTool age) {
        this.keys = keys;
        this.age = age;
    }

    public SealingKeys keys() {
        return keys;
    }

    /** Armored ciphertext of the value for the app, to the newest key. */
    public String seal(String app, byte[] value) {
        return age.encrypt(List.of(keys.newest().recipient()), Envelope.wrap(app, value));
    }

    /** The value; {@link AgeException} when no key opens it or it is another app's. */
    public byte[] open(String app, String armored) {
        return Envelope.unwrap(app, age.decrypt(keys.identityFiles(), armored));
    }

    /** The same plain text, sealed again to the newest key only. */
    public String reseal(String app, String armored) {
        return seal(app, open(app, armored));
    }

    /**
     * Opens every sealed value of the template; {@link SecretException} names the first field that does not open
     * (the field path and env name or file name, never the value).
     */
    public SecretPayload openAll(String app, Template t) {
        Map<String, byte[]> credentials = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < t.env().size(); i++) {
            EnvVar e = t.env().get(i);
            if (e.sealed()) {
                byte[] v = openField(app, e.sealedValue(), "spec.template.env[" + i + "].sealedValue (" + e.name() + ")");
                credentials.put(e.name(), v);
                String text = new String(v, StandardCharsets.UTF_8);
                if (text.indexOf('\0') >= 0) {
                    throw new SecretException("spec.template.env[" + i + "].sealedValue (" + e.name()
                            + ") holds a NUL byte, which no environment variable can: deliver it in secretFiles");
                }
                env.put(e.name(), text);
            }
        }
        for (int i = 0; i < t.secretFiles().size(); i++) {
            SecretFile f = t.secretFiles().get(i);
            credentials.put(f.name(), openField(app, f.sealedValue(), "spec.template.secretFiles[" + i + "].sealedValue (" + f.name() + ")"));
        }
        return new SecretPayload(credentials, env);
    }

    private byte[] openField(String app, String armored, String field) {
        try {
            return open(app, armored);
        } catch (AgeException e) {
            throw new SecretException(field + " does not open: " + e.getMessage());
        }
    }

    /** The short digest that names a ciphertext wherever the value itself must not appear. */
    public static String digest(String armored) {
        return dev.orch.manifest.SealedDigests.digest(armored);
    }
}
