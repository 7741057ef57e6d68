package dev.orch.intake;

import java.util.Optional;

/** Who defines an app outside the API (the git repositories), and where a pin against that owner is kept. */
public interface Ownership {
    Ownership NONE = new Ownership() {
        @Override
        public Optional<Owner> owner(String app) {
            return Optional.empty();
        }

        @Override
        public void pin(String app, Pin pin) {
            // nobody owns anything: nothing to hold against
        }
    };

    Optional<Owner> owner(String app);

    /** Holds {@code app} against its owner until a commit changes it (recorded by the owner, durably). */
    void pin(String app, Pin pin);
}
