package dev.orch.artifact;

/** Counts downloads for the metrics; implementations must not throw. */
public interface DownloadMeter {
    DownloadMeter NONE = new DownloadMeter() {
        @Override
        public void succeeded(long bytes) {}

        @Override
        public void failed(long bytes) {}
    };

    /** A download verified and stored, {@code bytes} long. */
    void succeeded(long bytes);

    /** A download that failed after receiving {@code bytes} (0 when none came). */
    void failed(long bytes);
}
