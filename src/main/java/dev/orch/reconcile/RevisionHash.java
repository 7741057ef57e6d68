package dev.orch.reconcile;

import dev.orch.manifest.Manifests;
import dev.orch.manifest.Template;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The identity of a revision, like Kubernetes' pod-template-hash: the canonical JSON of the template plus
 * the artifact's content digest, so a new upload at the same artifact path is a new revision.
 */
public final class RevisionHash {
    /** Hex characters kept: enough to never collide within one app's history, short enough to read. */
    static final int LENGTH = 10;

    private RevisionHash() {}

    /** @param artifactSha256 the artifact content digest, or null when the template has no artifact */
    public static String of(Template template, String artifactSha256) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(Manifests.canonicalJson(template).getBytes(StandardCharsets.UTF_8));
            md.update((byte) '\n');
            if (artifactSha256 != null) {
                md.update(artifactSha256.getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
