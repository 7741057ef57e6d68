package dev.orch.intake;

import java.util.List;

/** An apply by hand of apps a git repository defines, without the override: nothing was applied. */
public final class OwnershipConflict extends RuntimeException {
    private final List<String> owned;

    public OwnershipConflict(List<String> owned) {
        super(String.join("; ", owned) + ": change it there, or override with 'orchctl apply --force-conflicts' (the override lasts until the"
                + " next commit that changes the app); nothing was applied");
        this.owned = List.copyOf(owned);
    }

    /** One line per refused app, naming the repository and file. */
    public List<String> owned() {
        return owned;
    }
}
