package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where the releases of an app are published: a directory on the VM ({@code path}) or an HTTP index page
 * ({@code url}, links to the files, as nginx's and Apache's autoindex list them). Files are named by
 * {@code pattern}, whose one {@code *} is a semantic version; each needs its sha256, from a {@code <file>.sha256}
 * beside it or a {@code SHA256SUMS} file in the channel. The highest version is run.
 *
 * @param preReleases whether versions such as {@code 1.3.0-rc.1} count (staging); null means false
 */
@RegisterForReflection
public record ReleaseChannel(String path, String url, String pattern, Boolean preReleases) {
    public boolean takesPreReleases() {
        return Boolean.TRUE.equals(preReleases);
    }

    /** The file name of {@code version}. */
    public String fileName(String version) {
        return pattern.replace("*", version);
    }

    /** The channel as a user wrote it (for messages). */
    public String where() {
        return path != null ? path : url;
    }
}
