package dev.orch.artifact;

import dev.orch.manifest.Artifact;
import java.nio.file.Path;

/** Brings a URL artifact into the artifact store, verified against its sha256, before anything runs it. */
public interface ArtifactDownloader {
    /**
     * Downloads {@code artifact.url()} into the store as {@code fileName} unless the verified copy is there.
     *
     * @return the store copy
     * @throws DownloadException naming the URL and what went wrong (HTTP status, TLS, digest, disk); nothing
     *     half-written is ever left where a color could run it
     */
    Path download(Artifact artifact, String fileName) throws DownloadException;
}
