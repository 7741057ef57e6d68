package dev.orch.secrets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Debian {@code age} and {@code age-keygen} commands, driven as processes: orch holds no cryptography of
 * its own. Plain text travels only through the pipes, never through a file or an argument.
 */
public final class AgeTool {
    private static final long TIMEOUT_SECONDS = 30;
    private final String age;
    private final String keygen;

    public AgeTool(String age, String keygen) {
        this.age = age;
        this.keygen = keygen;
    }

    public static AgeTool fromPath() {
        return new AgeTool("age", "age-keygen");
    }

    /** A new identity file's text ({@code # public key: age1...} and {@code AGE-SECRET-KEY-1...}). */
    public String newIdentity() {
        return new String(run(List.of(keygen), new byte[0]), StandardCharsets.UTF_8);
    }

    /** Armored ciphertext of {@code plain} for every recipient. */
    public String encrypt(List<String> recipients, byte[] plain) {
        List<String> argv = new ArrayList<>(List.of(age, "--encrypt", "--armor"));
        for (String r : recipients) {
            argv.add("--recipient");
            argv.add(r);
        }
        return new String(run(argv, plain), StandardCharsets.UTF_8);
    }

    /** The plain text, trying every identity file; {@link AgeException} with age's own message when none opens it. */
    public byte[] decrypt(List<Path> identities, String armored) {
        List<String> argv = new ArrayList<>(List.of(age, "--decrypt"));
        for (Path p : identities) {
            argv.add("--identity");
            argv.add(p.toString());
        }
        return run(argv, armored.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] run(List<String> argv, byte[] stdin) {
        Process p;
        try {
            p = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new AgeException("cannot run " + argv.get(0) + " (install the age package): " + e.getMessage());
        }
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // age exits early on bad input; its message on stderr says why
        }
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AgeException(argv.get(0) + " did not finish within " + TIMEOUT_SECONDS + "s");
            }
            byte[] stdout = out.get();
            String stderr = new String(err.get(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new AgeException(stderr.isEmpty() ? argv.get(0) + " exited with " + p.exitValue() : firstLine(stderr));
            }
            return stdout;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new AgeException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AgeException(e.getCause().getMessage());
        }
    }

    /** age's errors are {@code age: error: <why>} plus hints; the first line says it. */
    private static String firstLine(String stderr) {
        String line = stderr.lines().findFirst().orElse(stderr);
        return line.startsWith("age: error: ") ? line.substring("age: error: ".length()) : line;
    }

    private static byte[] readAll(InputStream s) {
        try (s; ByteArrayOutputStream b = new ByteArrayOutputStream()) {
            s.transferTo(b);
            return b.toByteArray();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
