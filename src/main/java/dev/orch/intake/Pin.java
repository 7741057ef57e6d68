package dev.orch.intake;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Objects;

/**
 * A git-owned app held against its repository by hand: {@code rollout undo} (or {@code switch}) to a stored
 * revision, or {@code delete --force-conflicts}. Commits that do not change the app's manifest leave it alone; the
 * next commit that does ends the pin and deploys the app from git again.
 *
 * @param reason {@code RolledBack} or {@code DeletedByHand}
 * @param revision the revision the app is pinned at (null for a delete)
 * @param since when the pin was set
 * @param actor who set it ({@link Actor#describe()})
 * @param endsWhen what ends it, for people: {@code the next commit that changes app web (apps/web.yaml)}
 */
@RegisterForReflection
public record Pin(String reason, Integer revision, Instant since, String actor, String endsWhen) {
    public static final String ROLLED_BACK = "RolledBack";
    public static final String DELETED_BY_HAND = "DeletedByHand";

    public Pin {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(since, "since");
    }

    /** One line for conditions, events and logs. */
    public String describe(String app) {
        return (revision == null ? app + " deleted by hand" : app + " pinned at revision " + revision) + " by " + actor + " since " + since
                + "; " + endsWhen + " ends it";
    }
}
