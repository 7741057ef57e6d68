package dev.orch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** One row of {@code orchctl events}: an app's event with the app named. */
@RegisterForReflection
public record EventItem(String app, Instant time, String type, String reason, String message) {}
