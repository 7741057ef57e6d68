package dev.orch.source;

/**
 * What signature verification said about one commit: the {@code SourceVerified} condition's content.
 *
 * @param trusted signed by a trusted key with a good signature
 * @param reason {@code Verified}, or why not: {@code Unsigned}, {@code UntrustedSigner}, {@code BadSignature},
 *     {@code ExpiredSignature}, {@code ExpiredKey}, {@code RevokedKey}, {@code CannotVerify}
 * @param signer who signed: the OpenPGP user id or the ssh principal, else {@code key <id>}; null when unsigned
 */
public record Verdict(boolean trusted, String reason, String signer, String message) {
    public static final String VERIFIED = "Verified";

    /**
     * The verdict of git's {@code %G?} code, {@code %GS} (signer) and {@code %GK} (key) for a commit. The keyring
     * holds only trusted keys (trust-model always) and the allowed_signers file only trusted principals, so only
     * {@code G} is trusted; {@code U} (good signature, key not trusted) and {@code E} with a key (no such key here)
     * are an untrusted signer.
     */
    static Verdict of(String code, String signerName, String key, String commit) {
        String who = signerName != null && !signerName.isBlank() ? signerName : key != null && !key.isBlank() ? "key " + key : null;
        String c = commit.substring(0, Math.min(12, commit.length()));
        return switch (code) {
            case "G" -> new Verdict(true, VERIFIED, who, c + " is signed by trusted " + who);
            case "N" -> new Verdict(false, "Unsigned", null, c + " is not signed");
            case "U" -> new Verdict(false, "UntrustedSigner", who, c + " is signed by " + who + ", which is not a trusted key");
            case "B" -> new Verdict(false, "BadSignature", who, c + " has a bad signature (by " + who + "): the commit or signature was altered");
            case "X" -> new Verdict(false, "ExpiredSignature", who, c + " has an expired signature by " + who);
            case "Y" -> new Verdict(false, "ExpiredKey", who, c + " is signed by " + who + " with an expired key");
            case "R" -> new Verdict(false, "RevokedKey", who, c + " is signed by " + who + " with a revoked key");
            case "E" -> who != null && key != null && !key.isBlank()
                    ? new Verdict(false, "UntrustedSigner", who, c + " is signed by " + who + ", which is not a trusted key")
                    : new Verdict(false, "CannotVerify", null, c + "'s signature cannot be checked");
            default -> new Verdict(false, "CannotVerify", who, c + ": git answered \"" + code + "\" for the signature");
        };
    }

    static Verdict cannotVerify(String message) {
        return new Verdict(false, "CannotVerify", null, message);
    }
}
