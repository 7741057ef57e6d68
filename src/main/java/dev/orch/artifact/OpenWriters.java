package dev.orch.artifact;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether any process has a file open for writing, read from {@code /proc/<pid>/fd} and {@code fdinfo} (the
 * JDK's watch service reports writes but not close-after-write). Processes whose descriptors this process may
 * not read (another user's, when orchd is not root) are not seen.
 */
final class OpenWriters {
    private static final Path PROC = Path.of("/proc");

    private OpenWriters() {}

    static boolean anyWriter(Path file) {
        String target = file.toAbsolutePath().normalize().toString();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName().toString()))) {
            for (Path pid : pids) {
                if (writes(pid, target)) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false; // no /proc: the quiet period alone decides
        }
        return false;
    }

    private static boolean writes(Path pid, String target) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
            for (Path fd : fds) {
                String link;
                try {
                    link = Files.readSymbolicLink(fd).toString();
                } catch (IOException | UnsupportedOperationException e) {
                    continue;
                }
                if (link.equals(target) && openForWriting(pid.resolve("fdinfo").resolve(fd.getFileName()))) {
                    return true;
                }
            }
        } catch (IOException | SecurityException e) {
            // gone, or not ours to read
        }
        return false;
    }

    /** The {@code flags:} line of fdinfo is octal open(2) flags; O_WRONLY is 1, O_RDWR 2. */
    private static boolean openForWriting(Path fdinfo) {
        try {
            for (String line : Files.readAllLines(fdinfo)) {
                if (line.startsWith("flags:")) {
                    return (Integer.parseInt(line.substring(6).trim(), 8) & 3) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // closed meanwhile
        }
        return false;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
