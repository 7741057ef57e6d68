package dev.orch.artifact;

import dev.orch.manifest.ArtifactAuth;
import dev.orch.manifest.ReleaseChannel;
import java.util.Optional;

/** The release each app's channel resolves to, as last looked at. */
public interface Channels {
    Channels NONE = new Channels() {
        @Override
        public void follow(String app, ReleaseChannel channel, ArtifactAuth auth) {}

        @Override
        public Optional<Release> current(String app) {
            return Optional.empty();
        }

        @Override
        public Optional<String> problem(String app) {
            return Optional.empty();
        }
    };

    /** The channel {@code app}'s manifest names now ({@code null}: none). */
    void follow(String app, ReleaseChannel channel, ArtifactAuth auth);

    /** The newest release the app's channel offered when last looked at; empty before the first look. */
    Optional<Release> current(String app);

    /** Why the last look at the app's channel found no release or failed; empty when it found one. */
    Optional<String> problem(String app);
}
