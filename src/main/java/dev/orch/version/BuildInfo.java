package dev.orch.version;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Build facts, filtered in by Maven ({@code orch-build.properties}) and read once. Below both faces: the CLI
 * ({@code orchctl version}) and the API ({@code GET /api/v1/version}) report the same version from here.
 */
public final class BuildInfo {
    private static final String VERSION = load().getProperty("version", "unknown");

    private BuildInfo() {}

    /** The project version of this build, or {@code unknown} when the properties file is missing. */
    public static String version() {
        return VERSION;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/orch-build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
