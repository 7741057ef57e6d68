package dev.orch.state;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * What one color runs, as orch last set it up.
 *
 * @param revision revision number (see {@link Revision#number()})
 * @param revisionHash template hash of that revision
 * @param ports one local port per replica, in replica order
 * @param units systemd unit names, one per replica, in replica order
 * @param startedAt when orch started this revision in this color
 */
@RegisterForReflection
public record ColorState(int revision, String revisionHash, List<Integer> ports, List<String> units, Instant startedAt) {
    public ColorState {
        ports = ports == null ? List.of() : List.copyOf(ports);
        units = units == null ? List.of() : List.copyOf(units);
    }

    public ColorState withPorts(List<Integer> newPorts) {
        return new ColorState(revision, revisionHash, newPorts, units, startedAt);
    }
}
