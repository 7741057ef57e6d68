package dev.orch.state;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Content-addressed copies of artifacts ({@code artifacts/sha256/<hex>/<file name>}). Each revision runs its
 * own immutable copy, so uploading a new release to the same path cannot change what the live color runs,
 * and the digest is what makes a new upload a new revision.
 */
public final class ArtifactStore {
    private final Path dir;
    /** Digests of source files keyed by path, valid while size, mtime and inode stay the same. */
    private final Map<Path, Cached> digests = new ConcurrentHashMap<>();

    private record Cached(long size, long mtimeNanos, Object fileKey, String sha256) {}

    public ArtifactStore(Path dir) {
        this.dir = dir;
    }

    /** The sha256 (hex) of {@code file}'s content; re-read only when the file changed. */
    public String digest(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        if (!a.isRegularFile()) {
            throw new IOException(file + " is not a regular file");
        }
        long mtime = a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
        Cached c = digests.get(file);
        if (c != null && c.size() == a.size() && c.mtimeNanos() == mtime && java.util.Objects.equals(c.fileKey(), a.fileKey())) {
            return c.sha256();
        }
        String sha = sha256(file);
        digests.put(file, new Cached(a.size(), mtime, a.fileKey(), sha));
        return sha;
    }

    /** Where the copy of a file with this digest lives. */
    public Path pathFor(String sha256, String fileName) {
        return dir.resolve(sha256).resolve(fileName);
    }

    /**
     * Copies {@code file} into the store unless the copy exists; fails when the content no longer has the
     * expected digest (the file changed again since it was hashed: the next reconcile sees the new one).
     */
    public Path importFile(Path file, String expectedSha256) throws IOException {
        Path target = pathFor(expectedSha256, file.getFileName().toString());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return target;
        }
        Path d = target.getParent();
        Files.createDirectories(d);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tmp = Files.createTempFile(d, ".import-", ".tmp");
        try {
            Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
            String actual = sha256(tmp);
            if (!actual.equals(expectedSha256)) {
                throw new IOException(file + " changed while it was copied (sha256 " + actual + ", expected " + expectedSha256 + ")");
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r--r--"));
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.READ)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDirectory(d);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
