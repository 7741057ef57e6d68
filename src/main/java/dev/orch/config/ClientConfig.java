package dev.orch.config;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The few settings a CLI call needs, read from the same sources as the daemon (system properties,
 * {@code ORCH_*} environment variables, the config file, built-in defaults) without booting Quarkus.
 */
public record ClientConfig(Path stateDir, Path apiSocket, boolean tcpEnabled, String tcpHost, int tcpPort, Path tokenFile,
        Path routerSocket, int routerMetricsPort, String managementHost, Optional<Path> tlsCertFile, Optional<Path> tlsKeyFile) {
    /** Same ordinal Quarkus gives {@code quarkus.config.locations} files, above application.properties. */
    private static final int FILE_ORDINAL = 260;
    private static final int DEFAULTS_ORDINAL = 250;

    public static ClientConfig load() {
        SmallRyeConfigBuilder b = new SmallRyeConfigBuilder().addDefaultSources().addDefaultInterceptors();
        try {
            URL defaults = ClientConfig.class.getClassLoader().getResource("application.properties");
            if (defaults != null) {
                b.withSources(new PropertiesConfigSource(defaults, DEFAULTS_ORDINAL));
            }
            var file = ConfigFiles.existing();
            if (file.isPresent()) {
                b.withSources(new PropertiesConfigSource(file.get().toUri().toURL(), FILE_ORDINAL));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config " + ConfigFiles.location() + ": " + e.getMessage(), e);
        }
        SmallRyeConfig c = b.build();
        return new ClientConfig(
                Path.of(c.getValue("orch.state-dir", String.class)),
                Path.of(c.getValue("orch.api.socket", String.class)),
                c.getOptionalValue("orch.api.tcp.enabled", Boolean.class).orElse(false),
                c.getOptionalValue("orch.api.tcp.host", String.class).orElse("127.0.0.1"),
                c.getOptionalValue("orch.api.tcp.port", Integer.class).orElse(7464),
                Path.of(c.getValue("orch.api.token-file", String.class)),
                Path.of(c.getValue("orch.route.socket", String.class)),
                c.getOptionalValue("orch.route.metrics-port", Integer.class).orElse(9465),
                c.getOptionalValue("quarkus.management.host", String.class).orElse("127.0.0.1"),
                c.getOptionalValue("orch.api.tcp.tls.cert-file", String.class).map(Path::of),
                c.getOptionalValue("orch.api.tcp.tls.key-file", String.class).map(Path::of));
    }
}
