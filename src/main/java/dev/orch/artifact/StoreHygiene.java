package dev.orch.artifact;

import dev.orch.manifest.Artifact;
import dev.orch.state.ArtifactStore;
import dev.orch.state.Revision;
import dev.orch.state.StateStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps the artifact store to what history needs: the copies of every stored revision of every app (and a
 * digest the desired state pins, as {@code rollout undo} does) stay; the rest is deleted once older than
 * {@link #GRACE}, so a copy just imported for a revision that is being stored is never taken.
 */
public final class StoreHygiene implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StoreHygiene.class);
    static final Duration GRACE = Duration.ofMinutes(10);

    private final StateStore state;
    private final ArtifactStore artifacts;
    private final Clock clock;
    private final Duration grace;
    private final ScheduledExecutorService timer = Timers.daemon("artifact-store-hygiene");

    public StoreHygiene(StateStore state, ArtifactStore artifacts, Clock clock) {
        this(state, artifacts, clock, GRACE);
    }

    StoreHygiene(StateStore state, ArtifactStore artifacts, Clock clock, Duration grace) {
        this.state = state;
        this.artifacts = artifacts;
        this.clock = clock;
        this.grace = grace;
    }

    /** Runs {@link #collect()} a minute after start-up, then every {@code every}. */
    public void start(Duration every) {
        timer.scheduleWithFixedDelay(this::collect, 60, every.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One pass; never throws (a failed pass is logged and the next one tries again). */
    public List<String> collect() {
        try {
            Set<String> keep = new HashSet<>();
            for (String app : state.listApps()) {
                for (Revision r : state.revisions(app)) {
                    if (r.artifactSha256() != null) {
                        keep.add(r.artifactSha256());
                    }
                }
                state.readDesired(app).ifPresent(d -> {
                    if (d.artifactSha256() != null) {
                        keep.add(d.artifactSha256());
                    }
                    Artifact a = d.deployment().spec().template().artifact();
                    if (a != null && a.sha256() != null) {
                        keep.add(a.sha256()); // a URL's download, before its revision is stored
                    }
                });
            }
            List<String> deleted = artifacts.collect(keep, clock.instant().minus(grace));
            if (!deleted.isEmpty()) {
                LOG.infof("artifact store: deleted %d cop%s no stored revision uses: %s", deleted.size(), deleted.size() == 1 ? "y" : "ies", deleted);
            }
            return deleted;
        } catch (IOException | RuntimeException e) {
            LOG.warnf("artifact store clean-up failed (tried again later): %s", e.toString());
            return List.of();
        }
    }
}
