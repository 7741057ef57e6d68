package dev.orch.source;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** One row of {@code orchctl get placement}: an app a repository defines, and whether (and why) this host runs it. */
@RegisterForReflection
public record PlacementRow(String app, String repository, String path, boolean runs, String reason) {}
