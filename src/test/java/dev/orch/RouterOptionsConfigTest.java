package dev.orch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.config.OrchConfig;
import dev.orch.route.RouterOptions;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RouterOptionsConfigTest {
    /** orch.route.header-timeout and orch.route.keep-alive-timeout reach the route engine. */
    @Test
    void theClientTimeoutsOfTheConfigReachTheRouteEngine() {
        RouterOptions options = Roots.routerOptions(route(Duration.ofSeconds(3), Duration.ofMillis(1500)));

        assertThat(options.headerTimeoutMillis()).isEqualTo(3_000);
        assertThat(options.keepAliveTimeoutMillis()).isEqualTo(1_500);
        assertThat(options.maxConnectionsPerBackend()).isEqualTo(RouterOptions.defaults().maxConnectionsPerBackend());
    }

    /** The config's defaults and the engine's own are the same: 10 s and 75 s. */
    @Test
    void theDefaultsAreTenAndSeventyFiveSeconds() throws Exception {
        assertThat(RouterOptions.defaults().headerTimeoutMillis()).isEqualTo(10_000);
        assertThat(RouterOptions.defaults().keepAliveTimeoutMillis()).isEqualTo(75_000);
        assertThat(OrchConfig.Route.class.getMethod("headerTimeout").getAnnotation(WithDefault.class).value()).isEqualTo("10s");
        assertThat(OrchConfig.Route.class.getMethod("keepAliveTimeout").getAnnotation(WithDefault.class).value()).isEqualTo("75s");
    }

    private static OrchConfig.Route route(Duration header, Duration keepAlive) {
        return new OrchConfig.Route() {
            public String mode() {
                return "embedded";
            }

            public Path socket() {
                return Path.of("/tmp/router.sock");
            }

            public int metricsPort() {
                return 9465;
            }

            public Duration headerTimeout() {
                return header;
            }

            public Duration keepAliveTimeout() {
                return keepAlive;
            }

            public int httpPort() {
                return 80;
            }

            public int httpsPort() {
                return 443;
            }

            public String bindAddress() {
                return "0.0.0.0";
            }

            public Duration responseTimeout() {
                return Duration.ofSeconds(30);
            }

            public io.quarkus.runtime.configuration.MemorySize maxRequestBody() {
                return new io.quarkus.runtime.configuration.MemorySize(java.math.BigInteger.ZERO);
            }
        };
    }
}
