package dev.orch.systemd;

import dev.orch.state.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a color's opened secrets: {@code <dir>/<name>} mode 0400 per credential in a 0700 directory, and the sealed
 * env vars in {@code <dir>.env} (0400). Files of names no longer in the payload are deleted.
 */
final class SecretFiles {
    static final Set<PosixFilePermission> MODE_0400 = PosixFilePermissions.fromString("r--------");

    private SecretFiles() {}

    static void write(Path dir, SecretPayload p) throws IOException {
        Path envFile = dir.resolveSibling(dir.getFileName() + ".env");
        if (p.isEmpty()) {
            delete(dir);
            return;
        }
        AtomicFiles.createPrivateDirectories(dir);
        Files.setPosixFilePermissions(dir, AtomicFiles.PRIVATE_DIR);
        try (Stream<Path> old = Files.list(dir)) {
            for (Path f : old.toList()) {
                if (!p.credentials().containsKey(f.getFileName().toString())) {
                    Files.deleteIfExists(f);
                }
            }
        }
        for (Map.Entry<String, byte[]> c : p.credentials().entrySet()) {
            AtomicFiles.write(dir.resolve(c.getKey()), c.getValue(), MODE_0400);
        }
        if (p.env().isEmpty()) {
            Files.deleteIfExists(envFile);
        } else {
            StringBuilder text = new StringBuilder();
            p.env().forEach((k, v) -> text.append(k).append('=').append(SystemdEscape.envFileValue(v)).append('\n'));
            AtomicFiles.write(envFile, text.toString().getBytes(StandardCharsets.UTF_8), MODE_0400);
        }
    }

    static void delete(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolveSibling(dir.getFileName() + ".env"));
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
