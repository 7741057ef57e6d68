package dev.orch.systemd;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Crash-safe file replacement: temp file with final permissions, fsync, rename over, fsync the directory. */
final class AtomicFiles {
    static final Set<PosixFilePermission> MODE_0644 = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> MODE_0600 = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {}

    static void write(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp;
        FileChannel ch;
        while (true) {
            tmp = dir.resolve("." + target.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try {
                // created with its final mode so a secret is never readable by others, not even briefly
                ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                        PosixFilePermissions.asFileAttribute(mode));
                break;
            } catch (FileAlreadyExistsException e) {
                // try another name
            }
        }
        try (FileChannel c = ch) {
            ByteBuffer buf = ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                c.write(buf);
            }
            Files.setPosixFilePermissions(tmp, mode); // the umask may have narrowed it
            c.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDir(dir);
    }

    static boolean deleteIfExists(Path target) throws IOException {
        boolean deleted = Files.deleteIfExists(target);
        if (deleted) {
            fsyncDir(target.toAbsolutePath().getParent());
        }
        return deleted;
    }

    static void fsyncDir(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
