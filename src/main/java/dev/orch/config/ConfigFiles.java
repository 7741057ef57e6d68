package dev.orch.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the operator's config file lives. Both faces read the same file, so the CLI finds the daemon's
 * socket and credentials without flags.
 */
public final class ConfigFiles {
    public static final Path DEFAULT = Path.of("/etc/orchd/orchd.properties");
    public static final String ENV = "ORCH_CONFIG";
    /** Set by {@code orchctl daemon --config}; wins over the environment. */
    public static final String PROPERTY = "orch.config";

    private ConfigFiles() {}

    /** {@code -Dorch.config}, else {@code $ORCH_CONFIG}, else {@code /etc/orchd/orchd.properties}. */
    public static Path location() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv(ENV);
        }
        return v == null || v.isBlank() ? DEFAULT : Path.of(v);
    }

    /** The config file if it exists; a missing file means "all defaults". */
    public static Optional<Path> existing() {
        Path p = location();
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }
}
