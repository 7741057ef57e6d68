package dev.orch.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

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
        try (InputStream in = Files.newInputStream(file)) {
            return write(in, target, expectedSha256);
        } catch (DigestMismatch e) {
            throw new IOException(file + " changed while it was copied (sha256 " + e.actual() + ", expected " + expectedSha256 + ")");
        }
    }

    /**
     * Stores what {@code in} yields as the copy with this digest: written to a temporary file in the store and
     * renamed into place only once complete and verified, so a cut-off or corrupt download is never used.
     *
     * @throws DigestMismatch when the content's sha256 is not {@code expectedSha256} (nothing is kept)
     */
    public Path importStream(InputStream in, String expectedSha256, String fileName) throws IOException {
        return write(in, pathFor(expectedSha256, fileName), expectedSha256);
    }

    /** Whether the store holds the copy with this digest and name. */
    public boolean has(String sha256, String fileName) {
        return Files.exists(pathFor(sha256, fileName), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Deletes every copy whose digest is not in {@code keep} and that was created before {@code notAfter} (a copy
     * just imported for a revision not stored yet is younger); returns the digests deleted.
     */
    public List<String> collect(Set<String> keep, Instant notAfter) throws IOException {
        List<String> deleted = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return deleted;
        }
        try (DirectoryStream<Path> copies = Files.newDirectoryStream(dir)) {
            for (Path copy : copies) {
                String sha = copy.getFileName().toString();
                if (keep.contains(sha) || !Files.getLastModifiedTime(copy, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(notAfter)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(copy)) {
                    for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                digests.values().removeIf(c -> c.sha256().equals(sha));
                deleted.add(sha);
            }
        }
        return deleted;
    }

    /** Bytes the copies take (file sizes). */
    public long sizeBytes() {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // deleted meanwhile
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /** The content did not have the digest it was expected to have. */
    public static final class DigestMismatch extends IOException {
        private final String expected;
        private final String actual;

        DigestMismatch(String expected, String actual) {
            super("sha256 mismatch: expected " + expected + ", got " + actual);
            this.expected = expected;
            this.actual = actual;
        }

        public String expected() {
            return expected;
        }

        public String actual() {
            return actual;
        }
    }

    private static Path write(InputStream in, Path target, String expectedSha256) throws IOException {
        Path d = target.getParent();
        Files.createDirectories(d);
        Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tmp = Files.createTempFile(d, ".import-", ".tmp");
        try {
            MessageDigest md = sha256Digest();
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), md)) {
                in.transferTo(out);
            }
            String actual = HexFormat.of().formatHex(md.digest());
            if (!actual.equals(expectedSha256)) {
                throw new DigestMismatch(expectedSha256, actual);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("r--r--r--"));
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.READ)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            AtomicFiles.fsyncDirectory(d);
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = sha256Digest();
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        }
    }
}
