package dev.orch.route;

import dev.orch.state.Color;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records when each switch was called and when it returned, and decides which colors an exchange may
 * legitimately have seen: the color of the last switch that returned before the exchange was sent, or
 * one of the switches that began while it was running.
 */
final class SwitchLog {
    record Switch(Color color, long calledAt, long returnedAt) {}

    private final List<Switch> switches = new CopyOnWriteArrayList<>();

    SwitchLog(Color initial) {
        switches.add(new Switch(initial, Long.MIN_VALUE, Long.MIN_VALUE));
    }

    /**
     * Logs a switch before it is made, so a client never checks an answer against a log that lacks a switch
     * already in progress; {@link #returned} completes it.
     */
    synchronized int switching(Color color, long calledAt) {
        switches.add(new Switch(color, calledAt, Long.MAX_VALUE));
        return switches.size() - 1;
    }

    void returned(int index, long returnedAt) {
        Switch s = switches.get(index);
        switches.set(index, new Switch(s.color(), s.calledAt(), returnedAt));
    }

    int count() {
        return switches.size() - 1;
    }

    /** Null when {@code seen} is allowed, else a description of the violation. */
    String check(String seen, long sentAt, long receivedAt) {
        int k = 0;
        for (int i = 0; i < switches.size(); i++) {
            if (switches.get(i).returnedAt() <= sentAt) {
                k = i;
            }
        }
        if (seen.equals(switches.get(k).color().wire())) {
            return null;
        }
        for (int j = k + 1; j < switches.size(); j++) {
            Switch s = switches.get(j);
            if (s.calledAt() < receivedAt && seen.equals(s.color().wire())) {
                return null;
            }
        }
        return "sent after switch #" + k + " to " + switches.get(k).color() + " returned, but answered by " + seen;
    }

    /** True when no switch began while the exchange ran: exactly one color was acceptable. */
    boolean strict(long sentAt, long receivedAt) {
        for (Switch s : switches) {
            if (s.calledAt() != Long.MIN_VALUE && s.calledAt() < receivedAt && s.returnedAt() > sentAt) {
                return false;
            }
        }
        return true;
    }
}
