package dev.orch.artifact;

import java.nio.file.Path;

/**
 * Watches the files that {@code artifact.path} names, so that a new upload rolls out as soon as it is complete
 * and never while it is still being written.
 */
public interface UploadWatch {
    UploadWatch NONE = new UploadWatch() {
        @Override
        public void watch(String app, Path file) {}

        @Override
        public boolean uploading(Path file) {
            return false;
        }
    };

    /** The file {@code app}'s artifact is read from now ({@code null}: none); the app is woken when it changes. */
    void watch(String app, Path file);

    /** Whether {@code file} is being written: changed moments ago, or open for writing by some process. */
    boolean uploading(Path file);
}
