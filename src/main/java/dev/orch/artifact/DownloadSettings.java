package dev.orch.artifact;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How orchd downloads artifact URLs.
 *
 * @param caBundle PEM file of the CA certificates trusted for https URLs instead of the JVM's defaults (as
 *     curl's {@code --cacert}); empty for the JVM's trust store
 * @param proxy an HTTP proxy ({@code http://host:port}) every http and https download goes through; empty for none
 * @param connectTimeout for the TCP (and TLS) connection
 * @param responseTimeout until the response headers arrived
 */
public record DownloadSettings(Optional<Path> caBundle, Optional<URI> proxy, Duration connectTimeout, Duration responseTimeout) {
    public static DownloadSettings defaults() {
        return new DownloadSettings(Optional.empty(), Optional.empty(), Duration.ofSeconds(10), Duration.ofSeconds(30));
    }
}
