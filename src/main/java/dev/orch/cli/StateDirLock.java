package dev.orch.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One daemon per state directory. The lock lives as long as the process (the kernel drops it on any
 * exit, kill -9 included), so a stale socket left by a killed daemon can be removed safely.
 */
final class StateDirLock {
    private static FileLock held; // kept reachable for the life of the process

    private StateDirLock() {}

    static void acquire(Path stateDir, Path socket) {
        acquire(stateDir, socket, "orchd");
    }

    /** @param role "orchd" or "router": each role holds its own lock ({@code <role>.lock}) in the state dir */
    static void acquire(Path stateDir, Path socket, String role) {
        try {
            if (!Files.isDirectory(stateDir)) {
                Files.createDirectories(stateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
            }
            Path lockFile = stateDir.resolve(role + ".lock");
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                String pid = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
                throw new CliException("another " + role + " (pid " + (pid.isEmpty() ? "unknown" : pid) + ") is running with state dir "
                        + stateDir + "; stop it first or use another --state-dir");
            }
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
            held = lock;
            Files.deleteIfExists(socket);
            if (socket.getParent() != null) {
                Files.createDirectories(socket.getParent());
            }
        } catch (IOException e) {
            throw new CliException("cannot use state dir " + stateDir + " (orch.state-dir; it must be a writable directory): "
                    + StartupFailure.describe(e), e);
        }
    }
}
