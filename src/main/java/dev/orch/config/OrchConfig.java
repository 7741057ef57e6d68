package dev.orch.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;

/** Every daemon setting and its default, in one place; documented in README.md "Configuration". */
@ConfigMapping(prefix = "orch")
public interface OrchConfig {
    /** Root of all state orchd keeps (actual state, history, audit log, git mirrors, artifacts). */
    @WithName("state-dir")
    Path stateDir();

    Api api();

    interface Api {
        /** Unix socket the API listens on; its directory's permissions decide who may call. */
        Path socket();
    }

    /** Which service driver runs the colors: {@code auto} picks systemd when it is PID 1, else {@code process}. */
    @WithDefault("auto")
    String driver();
}
