package dev.orch.reconcile;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * Picks the local ports colors listen on, from a configured range: a color keeps the ports it has while they
 * are still free (stable across restarts and rollouts, since they are persisted with the color); new ones
 * are the lowest in the range that no app's color holds and that nothing else on the host is bound to.
 */
public final class PortAllocator {
    private final int first;
    private final int last;
    private final IntPredicate free;

    /** @param free whether a port can be bound right now (real check: {@link #bindable}) */
    public PortAllocator(int first, int last, IntPredicate free) {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("invalid port range " + first + "-" + last);
        }
        this.first = first;
        this.last = last;
        this.free = free;
    }

    /**
     * @param current the ports the color has now (kept when the replica count is unchanged)
     * @param taken every port some app's color holds (including {@code current})
     */
    public List<Integer> allocate(List<Integer> current, int replicas, Set<Integer> taken) {
        List<Integer> ports = new ArrayList<>();
        // a kept port must still be free: a process that took it meanwhile would answer the new revision's probes
        for (int p : current.subList(0, Math.min(current.size(), replicas))) {
            if (free.test(p)) {
                ports.add(p);
            }
        }
        for (int p = first; p <= last && ports.size() < replicas; p++) {
            if (!taken.contains(p) && !ports.contains(p) && free.test(p)) {
                ports.add(p);
            }
        }
        if (ports.size() < replicas) {
            throw new IllegalStateException("no free port left in the range " + first + "-" + last
                    + " (set orch.ports.range to a larger range)");
        }
        return List.copyOf(ports);
    }

    /** True when nothing listens on the port on loopback or the wildcard address. */
    public static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            return false;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
