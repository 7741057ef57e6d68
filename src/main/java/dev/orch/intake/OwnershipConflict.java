package dev.orch.intake;

import java.util.List;

/** An apply (or delete) by hand of apps a git repository defines, without the override: nothing was changed. */
public final class OwnershipConflict extends RuntimeException {
    private final List<String> owned;

    public OwnershipConflict(List<String> owned) {
        super(String.join("; ", owned) + ": change it there, or override with 'orchctl apply --force-conflicts' (the override lasts until the"
                + " next commit that changes the app); nothing was applied");
        this.owned = List.copyOf(owned);
    }

    private OwnershipConflict(String message, List<String> owned) {
        super(message);
        this.owned = List.copyOf(owned);
    }

    /** A delete by hand of an app a git repository defines, without the override: nothing was deleted. */
    public static OwnershipConflict ofDelete(String owned) {
        return new OwnershipConflict(owned + ": remove it there, or override with 'orchctl delete --force-conflicts' (the app stays deleted until"
                + " the next commit that changes it); nothing was deleted", List.of(owned));
    }

    /** One line per refused app, naming the repository and file. */
    public List<String> owned() {
        return owned;
    }
}
