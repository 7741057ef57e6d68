package dev.orch.state;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * Crash-safe file primitives. {@link #write} replaces a file so that a kill at any instant leaves either the
 * old or the new content; {@link #append} adds one durable line to a line log. Everything is fsync'd before
 * it returns, so a returned call survives a crash of the process and of the machine.
 */
public final class AtomicFiles {
    /** rw------- : the default for every state file (desired state can hold env values, i.e. secrets). */
    public static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");
    /** rwx------ : the default for every state directory. */
    public static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

    /** Marker in temp file names; {@link #removeTempFiles} deletes files carrying it. */
    static final String TEMP_MARKER = ".orch-tmp-";

    private AtomicFiles() {}

    /** {@link #write(Path, byte[], Set)} with mode 0600. */
    public static void write(Path target, byte[] data) throws IOException {
        write(target, data, PRIVATE_FILE);
    }

    /**
     * Atomically replaces {@code target} with {@code data}: write a temp file in the same directory, fsync it,
     * rename it over the target, fsync the directory. The temp file is created with {@code mode} from the start,
     * so the content is never readable with a wider mode.
     */
    public static void write(Path target, byte[] data, Set<PosixFilePermission> mode) throws IOException {
        Path dir = parentOf(target);
        Path temp = tempSibling(target);
        try {
            try (FileChannel ch = FileChannel.open(
                    temp,
                    Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(mode))) {
                writeFully(ch, ByteBuffer.wrap(data));
                ch.force(true);
            }
            // the umask may have narrowed the mode given at creation; set it exactly
            Files.setPosixFilePermissions(temp, mode);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            if (e instanceof AtomicMoveNotSupportedException) {
                throw new IOException("cannot rename atomically in " + dir + ": " + e.getMessage(), e);
            }
            throw e;
        }
        fsyncDirectory(dir);
    }

    /**
     * Appends {@code line} plus a newline to a line log and fsyncs it. If the log ends in a torn line (a crash
     * during an earlier append, never acknowledged to its caller), that fragment is cut off first, so every
     * newline-terminated line in the log is a whole record and the new one starts on a fresh line.
     *
     * @param line one record without line breaks
     */
    public static void append(Path log, byte[] line, Set<PosixFilePermission> mode) throws IOException {
        for (byte b : line) {
            if (b == '\n' || b == '\r') {
                throw new IllegalArgumentException("a log record must not contain a line break");
            }
        }
        boolean created = false;
        if (!Files.exists(log)) {
            try {
                Files.createFile(log, PosixFilePermissions.asFileAttribute(mode));
                Files.setPosixFilePermissions(log, mode);
                created = true;
            } catch (FileAlreadyExistsException raced) {
                // another appender created it; fine
            }
        }
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE, StandardOpenOption.READ)) {
            long end = completeLinesEnd(ch);
            if (end != ch.size()) {
                ch.truncate(end);
            }
            ByteBuffer buf = ByteBuffer.allocate(line.length + 1).put(line).put((byte) '\n').flip();
            long pos = end;
            while (buf.hasRemaining()) {
                pos += ch.write(buf, pos);
            }
            ch.force(true);
        }
        if (created) {
            fsyncDirectory(parentOf(log));
        }
    }

    /** {@link #append(Path, byte[], Set)} with mode 0600. */
    public static void append(Path log, byte[] line) throws IOException {
        append(log, line, PRIVATE_FILE);
    }

    /**
     * The newline-terminated lines of a line log, without their newlines; a torn last line (no newline) is left
     * out. A missing file has no lines.
     */
    public static List<byte[]> readCompleteLines(Path log) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(log);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        List<byte[]> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                ByteArrayOutputStream out = new ByteArrayOutputStream(i - start);
                out.write(all, start, i - start);
                lines.add(out.toByteArray());
                start = i + 1;
            }
        }
        return lines;
    }

    /** fsyncs a directory, making renames, creations and deletions in it durable. */
    /** Deletes {@code target} if present and makes the deletion durable (fsync of its directory). */
    public static boolean deleteIfExists(Path target) throws IOException {
        boolean deleted = Files.deleteIfExists(target);
        if (deleted) {
            fsyncDirectory(target.toAbsolutePath().getParent());
        }
        return deleted;
    }

    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Creates {@code dir} and missing parents with mode 0700; existing directories are left as they are. */
    public static void createPrivateDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return;
        }
        Path parent = abs.getParent();
        if (parent != null) {
            createPrivateDirectories(parent);
        }
        try {
            Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(PRIVATE_DIR));
            Files.setPosixFilePermissions(abs, PRIVATE_DIR);
            if (parent != null) {
                fsyncDirectory(parent);
            }
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(abs)) {
                throw raced;
            }
        }
    }

    /**
     * Deletes temp files left by writes that a crash interrupted, in {@code root} and below, without following
     * symlinks.
     *
     * @return the deleted files
     */
    public static List<Path> removeTempFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> removed = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (isTempFile(p) && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                    removed.add(p);
                }
            }
        }
        return removed;
    }

    /** Whether {@code p} is named like a temp file of {@link #write}. */
    public static boolean isTempFile(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".") && name.toString().contains(TEMP_MARKER);
    }

    private static Path tempSibling(Path target) {
        byte[] rnd = new byte[8];
        ThreadLocalRandom.current().nextBytes(rnd);
        return target.resolveSibling("." + target.getFileName() + TEMP_MARKER + HexFormat.of().formatHex(rnd));
    }

    private static Path parentOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("no parent directory: " + file);
        }
        return parent;
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Position just after the last newline (0 when there is none): where the complete lines end. */
    private static long completeLinesEnd(FileChannel ch) throws IOException {
        long size = ch.size();
        if (size == 0) {
            return 0;
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        ch.read(one, size - 1);
        if (one.get(0) == '\n') {
            return size; // the common case: one byte read
        }
        ByteBuffer chunk = ByteBuffer.allocate(8192);
        long pos = size;
        while (pos > 0) {
            long from = Math.max(0, pos - chunk.capacity());
            chunk.clear().limit((int) (pos - from));
            while (chunk.hasRemaining()) {
                if (ch.read(chunk, from + chunk.position()) < 0) {
                    break;
                }
            }
            for (int i = chunk.position() - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return from + i + 1;
                }
            }
            pos = from;
        }
        return 0;
    }
}
