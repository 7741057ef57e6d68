package dev.orch.intake;

import java.util.List;

/** An apply by hand of apps whose selectors this host does not match: nothing was applied. */
public final class NotPlaced extends RuntimeException {
    private final List<String> lines;

    public NotPlaced(List<String> lines) {
        super(String.join("; ", lines) + "; nothing was applied");
        this.lines = List.copyOf(lines);
    }

    /** One line per refused app: the selector and this host's labels. */
    public List<String> lines() {
        return lines;
    }
}
