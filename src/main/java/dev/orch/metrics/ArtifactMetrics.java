package dev.orch.metrics;

import dev.orch.artifact.DownloadMeter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Artifact downloads: {@code orch_artifact_downloads_total{result="success"|"failure"}} and
 * {@code orch_artifact_download_bytes_total} (bytes received, failed downloads included), and the store's size,
 * {@code orch_artifact_store_bytes}.
 */
public final class ArtifactMetrics implements DownloadMeter {
    private final Counter succeeded;
    private final Counter failed;
    private final Counter bytes;

    /** @param storeBytes the artifact store's size, read at each scrape */
    public ArtifactMetrics(MeterRegistry registry, java.util.function.LongSupplier storeBytes) {
        io.micrometer.core.instrument.Gauge.builder("orch_artifact_store_bytes", storeBytes, s -> s.getAsLong())
                .description("Bytes the artifact store's copies take").baseUnit("bytes").strongReference(true).register(registry);
        String help = "Artifact URL downloads, by result (success: verified and stored; failure: HTTP, TLS, digest or disk error)";
        succeeded = Counter.builder("orch_artifact_downloads").description(help).tag("result", "success").register(registry);
        failed = Counter.builder("orch_artifact_downloads").description(help).tag("result", "failure").register(registry);
        bytes = Counter.builder("orch_artifact_download_bytes").description("Bytes received by artifact URL downloads")
                .baseUnit("bytes").register(registry);
    }

    @Override
    public void succeeded(long n) {
        succeeded.increment();
        bytes.increment(n);
    }

    @Override
    public void failed(long n) {
        failed.increment();
        bytes.increment(n);
    }
}
