package dev.orch.api;

import dev.orch.intake.Pin;
import dev.orch.state.ActualState;
import dev.orch.state.DesiredApp;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * {@code orchctl get app NAME -o yaml} / {@code describe}: the summary, what is desired, what runs, and the
 * readiness of each color as last observed (empty before the first reconcile of this daemon), and the pin that
 * holds a git-owned app against its repository (null: none).
 */
@RegisterForReflection
public record AppStatus(AppSummary summary, DesiredApp desired, ActualState status, List<ColorStatus> colors, Pin pin) {
    public AppStatus(AppSummary summary, DesiredApp desired, ActualState status, List<ColorStatus> colors) {
        this(summary, desired, status, colors, null);
    }
}
