package dev.orch.source;

import java.nio.file.Path;
import java.util.List;

/**
 * Signed-commit verification of one repository ({@code orch.git.repos.<name>.verify}, docs/gitops.md "Verification").
 *
 * @param enabled only a tip signed by a trusted key is applied
 * @param gpgKeys armored OpenPGP public key files: every key in them is trusted
 * @param allowedSigners an ssh {@code allowed_signers} file (git's {@code gpg.ssh.allowedSignersFile}), or null
 */
public record VerifySpec(boolean enabled, List<Path> gpgKeys, Path allowedSigners) {
    public static final VerifySpec OFF = new VerifySpec(false, List.of(), null);

    public VerifySpec {
        gpgKeys = gpgKeys == null ? List.of() : List.copyOf(gpgKeys);
    }

    /** A bad combination, refused at start-up with the key to fix. */
    public static VerifySpec checked(String repo, boolean enabled, List<Path> gpgKeys, Path allowedSigners) {
        VerifySpec v = new VerifySpec(enabled, gpgKeys, allowedSigners);
        if (enabled && v.gpgKeys().isEmpty() && allowedSigners == null) {
            throw new IllegalArgumentException("orch.git.repos." + repo + ".verify=true needs trusted keys: set orch.git.repos." + repo
                    + ".trusted-keys (armored OpenPGP public key files, comma-separated) and/or orch.git.repos." + repo
                    + ".allowed-signers-file (an ssh allowed_signers file)");
        }
        return v;
    }
}
