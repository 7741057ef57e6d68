package dev.orch.artifact;

import java.net.URI;

/**
 * One release of a channel: its version, its file name in the channel, where to download it from ({@code file:}
 * for a directory channel) and its sha256 as the channel publishes it.
 */
public record Release(String version, String fileName, URI location, String sha256) {}
