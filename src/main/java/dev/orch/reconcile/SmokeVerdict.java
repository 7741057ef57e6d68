package dev.orch.reconcile;

import dev.orch.state.Color;

/**
 * The verdict of the smoke checks sent to one color for one revision (kept in memory: after a restart they are sent again).
 *
 * @param color the color they were sent to
 * @param revision the revision it ran
 * @param sent requests sent
 * @param via where they went ({@code the preview listener 127.0.0.1:8081}, or the replicas)
 * @param failure the first failed check with what it expected and got; null when all passed
 */
public record SmokeVerdict(Color color, int revision, int sent, String via, String failure) {
    public boolean passed() {
        return failure == null;
    }

    public boolean isFor(Color c, int rev) {
        return color == c && revision == rev;
    }
}
