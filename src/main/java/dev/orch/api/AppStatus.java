package dev.orch.api;

import dev.orch.state.ActualState;
import dev.orch.state.DesiredApp;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code orchctl get app NAME -o yaml} / {@code describe}: the summary, what is desired and what runs. */
@RegisterForReflection
public record AppStatus(AppSummary summary, DesiredApp desired, ActualState status) {}
