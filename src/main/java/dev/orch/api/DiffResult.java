package dev.orch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * What {@code apply} would do to one app, without doing it.
 *
 * @param result created, configured or unchanged (as apply would answer)
 * @param diff unified diff of the stored manifest against the new one (defaults filled in); empty when unchanged
 * @param effects what the change causes: a new revision in the idle color and a switch, a route rebind, or nothing
 */
@RegisterForReflection
public record DiffResult(String name, String result, String diff, List<String> effects) {}
