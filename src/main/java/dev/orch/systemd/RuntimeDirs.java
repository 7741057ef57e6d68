package dev.orch.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a directory lives in memory (tmpfs/ramfs), so secrets written there never reach a disk. */
final class RuntimeDirs {
    private RuntimeDirs() {}

    static boolean isTmpfs(Path dir) {
        try {
            String type = Files.getFileStore(dir).type();
            return type.equals("tmpfs") || type.equals("ramfs");
        } catch (IOException e) {
            return false;
        }
    }
}
