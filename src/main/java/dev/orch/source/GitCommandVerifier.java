package dev.orch.source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Verification by the host's {@code git} (which runs {@code gpg} or {@code ssh-keygen -Y}): no crypto of our own.
 * The trusted OpenPGP keys are imported into a private keyring, {@code <trustDir>/gnupg} (trust-model always: it holds
 * nothing else), rebuilt whenever the key files change; ssh signatures are checked against the allowed_signers file
 * as given (an empty file when none is configured, so that no ssh key is trusted).
 */
final class GitCommandVerifier implements CommitVerifier {
    private static final long TIMEOUT_SECONDS = 30;

    private final VerifySpec spec;
    private final Path trustDir;
    /** The hash of the key files the keyring was built from; null: not built yet. */
    private String keyringOf;

    GitCommandVerifier(VerifySpec spec, Path trustDir) {
        this.spec = spec;
        this.trustDir = trustDir;
    }

    @Override
    public synchronized Verdict verify(Path gitDir, String commit) {
        Path gnupg = trustDir.resolve("gnupg");
        Path signers;
        try {
            keyring(gnupg);
            signers = spec.allowedSigners() != null ? spec.allowedSigners() : emptySigners();
        } catch (IOException e) {
            return Verdict.cannotVerify("cannot prepare the trusted keys: " + e.getMessage());
        }
        List<String> cmd = List.of("git", "--git-dir=" + gitDir, "-c", "gpg.ssh.allowedSignersFile=" + signers, "-c", "gpg.program=gpg",
                "log", "-1", "--no-show-signature", "--format=%G?%x00%GS%x00%GK", commit, "--");
        Run r;
        try {
            r = run(cmd, gnupg);
        } catch (IOException e) {
            return Verdict.cannotVerify("cannot run git to verify " + commit + " (is git installed, with gpg and ssh-keygen?): " + e.getMessage());
        }
        String[] f = r.out().strip().split("\u0000", -1);
        if (r.exit() != 0 || f.length < 3) {
            return Verdict.cannotVerify("git log of " + commit + " failed (exit " + r.exit() + "): " + r.err().strip());
        }
        return Verdict.of(f[0], f[1], f[2], commit);
    }

    /** (Re)builds the private keyring from the key files when they changed since the last build. */
    private void keyring(Path gnupg) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Path p : spec.gpgKeys()) {
            sha.update(p.toString().getBytes(StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(p));
        }
        String hash = HexFormat.of().formatHex(sha.digest());
        if (hash.equals(keyringOf) && Files.isDirectory(gnupg)) {
            return;
        }
        GitMirror.deleteTree(gnupg);
        Files.createDirectories(trustDir);
        Files.createDirectory(gnupg, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // no agent, no trust database questions: every key in here is trusted by configuration
        Files.writeString(gnupg.resolve("gpg.conf"), "trust-model always\nno-autostart\n");
        if (!spec.gpgKeys().isEmpty()) {
            List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--quiet", "--no-tty", "--import"));
            spec.gpgKeys().forEach(p -> cmd.add(p.toString()));
            Run r = run(cmd, gnupg);
            if (r.exit() != 0) {
                throw new IOException("gpg --import " + spec.gpgKeys() + " failed (exit " + r.exit() + "): " + r.err().strip());
            }
        }
        keyringOf = hash;
    }

    private Path emptySigners() throws IOException {
        Path p = trustDir.resolve("no-allowed-signers");
        if (!Files.exists(p)) {
            Files.createDirectories(trustDir);
            Files.writeString(p, "");
        }
        return p;
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(List<String> cmd, Path gnupg) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("GIT_"));
        pb.environment().put("GNUPGHOME", gnupg.toString());
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path err = Files.createTempFile(gnupg.getParent(), "verify", ".err");
        try {
            pb.redirectError(err.toFile());
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd.get(0) + " took more than " + TIMEOUT_SECONDS + " s");
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
