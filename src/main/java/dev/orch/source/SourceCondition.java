package dev.orch.source;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A condition of a repository, Kubernetes-style; today {@code SourceVerified} (only with {@code verify=true}).
 *
 * @param status {@code True} or {@code False}
 * @param reason {@code Verified}, or a {@link Verdict} reason ({@code Unsigned}, {@code UntrustedSigner}, ...)
 * @param commit the commit the condition is about (40 hex)
 * @param signer who signed it (OpenPGP user id, ssh principal, or {@code key <id>}), null when unsigned
 */
@RegisterForReflection
public record SourceCondition(String type, String status, String reason, String message, String commit, String signer, Instant lastTransitionTime) {
    public static final String SOURCE_VERIFIED = "SourceVerified";

    static SourceCondition verified(Verdict v, String commit, Instant now) {
        return new SourceCondition(SOURCE_VERIFIED, v.trusted() ? "True" : "False", v.reason(), v.message(), commit, v.signer(), now);
    }

    public boolean isFalse() {
        return "False".equals(status);
    }
}
