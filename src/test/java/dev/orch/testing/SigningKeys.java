package dev.orch.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Signing keys made as a user makes them, with Debian's {@code gpg} (batch, no passphrase, a GNUPGHOME of its own)
 * and {@code ssh-keygen}, and a working clone whose commits the {@code git} command signs with either. A trusted and
 * an untrusted key of each kind.
 */
public final class SigningKeys implements AutoCloseable {
    public static final String TRUSTED_UID = "Trusted Dev <trusted@example.com>";
    public static final String UNTRUSTED_UID = "Mallory <mallory@example.com>";
    public static final String SSH_PRINCIPAL = "dev@example.com";

    private final Path dir;
    private final Path gnupg;

    public SigningKeys(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        this.gnupg = dir.resolve("gnupg");
        Files.createDirectories(dir);
        Files.createDirectory(gnupg, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        for (String uid : List.of(TRUSTED_UID, UNTRUSTED_UID)) {
            run(dir, "gpg", "--batch", "--quiet", "--passphrase", "", "--quick-gen-key", uid, "ed25519", "sign", "never");
        }
        Files.writeString(trustedGpgKey(), run(dir, "gpg", "--armor", "--export", "trusted@example.com"));
        for (String k : List.of("ssh-trusted", "ssh-untrusted")) {
            run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", k, "-f", dir.resolve(k).toString());
        }
        Files.writeString(allowedSigners(), SSH_PRINCIPAL + " " + Files.readString(dir.resolve("ssh-trusted.pub")));
    }

    /** The armored public key of {@link #TRUSTED_UID} (the untrusted key is only in the signing keyring). */
    public Path trustedGpgKey() {
        return dir.resolve("trusted.asc");
    }

    /** allowed_signers naming only the trusted ssh key. */
    public Path allowedSigners() {
        return dir.resolve("allowed_signers");
    }

    public enum Signature { GPG_TRUSTED, GPG_UNTRUSTED, SSH_TRUSTED, SSH_UNTRUSTED, NONE }

    /** {@code git commit} in {@code work} (everything staged), signed as asked; the new commit's id. */
    public String commit(Path work, String message, Signature sig) throws IOException, InterruptedException {
        run(work, "git", "add", "-A");
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=Dev Eloper", "-c", "user.email=dev@example.com"));
        switch (sig) {
            case GPG_TRUSTED -> cmd.addAll(List.of("-c", "gpg.format=openpgp", "commit", "-S" + "trusted@example.com"));
            case GPG_UNTRUSTED -> cmd.addAll(List.of("-c", "gpg.format=openpgp", "commit", "-S" + "mallory@example.com"));
            case SSH_TRUSTED -> cmd.addAll(List.of("-c", "gpg.format=ssh", "-c", "user.signingkey=" + dir.resolve("ssh-trusted"), "commit", "-S"));
            case SSH_UNTRUSTED -> cmd.addAll(List.of("-c", "gpg.format=ssh", "-c", "user.signingkey=" + dir.resolve("ssh-untrusted"), "commit", "-S"));
            case NONE -> cmd.addAll(List.of("commit", "--no-gpg-sign"));
        }
        cmd.addAll(List.of("-q", "--allow-empty", "-m", message));
        run(work, cmd.toArray(String[]::new));
        return run(work, "git", "rev-parse", "HEAD").strip();
    }

    /** Runs a command with this GNUPGHOME; its stdout, or an AssertionError with stderr. */
    public String run(Path cwd, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        Map<String, String> env = pb.environment();
        env.put("GNUPGHOME", gnupg.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        Path err = Files.createTempFile(dir, "cmd", ".err");
        pb.redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " failed: " + Files.readString(err));
        }
        Files.delete(err);
        return out;
    }

    /** Stops the gpg-agent that signing started for this GNUPGHOME. */
    @Override
    public void close() throws IOException, InterruptedException {
        new ProcessBuilder("gpgconf", "--homedir", gnupg.toString(), "--kill", "gpg-agent").inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }
}
