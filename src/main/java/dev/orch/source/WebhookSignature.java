package dev.orch.source;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a push webhook's HMAC-SHA256 over the raw body: GitHub's {@code X-Hub-Signature-256: sha256=<hex>}, Gitea's
 * {@code X-Gitea-Signature: <hex>} and Forgejo's {@code X-Forgejo-Signature: <hex>}. Constant-time comparison.
 */
public final class WebhookSignature {
    public static final String GITHUB = "X-Hub-Signature-256";
    public static final String GITEA = "X-Gitea-Signature";
    public static final String FORGEJO = "X-Forgejo-Signature";

    private WebhookSignature() {}

    /**
     * @param github value of {@link #GITHUB}, or null
     * @param gitea value of {@link #GITEA}, or null
     * @param forgejo value of {@link #FORGEJO}, or null
     * @return null when a present signature matches, else why the request is refused
     */
    public static String check(byte[] secret, byte[] body, String github, String gitea, String forgejo) {
        if (secret == null || secret.length == 0) {
            return "no webhook secret is configured for this repository";
        }
        String hex;
        if (github != null) {
            if (!github.startsWith("sha256=")) {
                return GITHUB + " must be sha256=<hex>";
            }
            hex = github.substring("sha256=".length());
        } else if (forgejo != null) {
            hex = forgejo;
        } else if (gitea != null) {
            hex = gitea;
        } else {
            return "no signature header (" + GITHUB + ", " + GITEA + " or " + FORGEJO + ")";
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(hex.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return "the signature is not hexadecimal";
        }
        return MessageDigest.isEqual(hmac(secret, body), given) ? null : "the signature does not match the body and the shared secret";
    }

    /** HMAC-SHA256 of {@code body} under {@code secret}. */
    public static byte[] hmac(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The secret file's content without a trailing newline (as {@code echo secret > file} writes it). */
    public static byte[] secret(String fileContent) {
        return fileContent.strip().getBytes(StandardCharsets.UTF_8);
    }
}
