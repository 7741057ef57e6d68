package dev.orch.smoke;

import dev.orch.manifest.SmokeCheck;
import java.util.List;

/** Sends a rollout's smoke checks (the adapter the executor runs; {@link HttpSmokeClient} is the real one). */
public interface SmokeClient {
    /** Sends every check to every target, in order, and stops at the first failure. Never throws: a failure is reported. */
    SmokeReport send(List<SmokeCheck> checks, List<SmokeTarget> targets);
}
