package dev.orch.manifest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Where a ciphertext is shown to people (diffs), its short digest stands in for it: a change reads as one line. */
public final class SealedDigests {
    private SealedDigests() {}

    /** {@code sha256:} and the first 12 hex characters of the armored text's digest (surrounding blanks ignored). */
    public static String digest(String armored) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(armored.strip().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The deployment with every sealedValue replaced by its digest (for display only; it no longer opens). */
    public static Deployment redact(Deployment d) {
        Template t = d.spec().template();
        if (!t.hasSecrets()) {
            return d;
        }
        var env = t.env().stream().map(e -> e.sealed() ? new EnvVar(e.name(), null, digest(e.sealedValue())) : e).toList();
        var files = t.secretFiles().stream().map(f -> new SecretFile(f.name(), digest(f.sealedValue()))).toList();
        Template nt = new Template(t.command(), t.args(), env, t.workingDir(), t.user(), t.portEnv(), t.artifact(), t.readinessProbe(),
                t.livenessProbe(), t.resources(), t.hardening(), t.terminationGracePeriodSeconds(), files);
        DeploymentSpec s = d.spec();
        return new Deployment(d.apiVersion(), d.kind(), d.metadata(),
                new DeploymentSpec(s.replicas(), s.route(), nt, s.strategy(), s.progressDeadlineSeconds(), s.revisionHistoryLimit()));
    }
}
