package dev.orch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * Where {@code orchctl logs} reads an app's output: the journal of these units ({@code driver=systemd}, with
 * {@code scope} system or user) or the process driver's files. {@code commandPrefix} is orchd's
 * {@code orch.systemd.command-prefix} (empty normally), so journalctl reaches the same manager orchd drives.
 */
@RegisterForReflection
public record LogSources(String driver, String scope, List<String> commandPrefix, List<Source> sources) {
    /** One replica of one color: its unit and (process driver) its stdout and stderr files. */
    @RegisterForReflection
    public record Source(String color, int replica, String unit, List<String> files) {}
}
