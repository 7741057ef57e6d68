package dev.orch.artifact;

import dev.orch.manifest.ArtifactAuth;
import dev.orch.manifest.ReleaseChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Follows the release channel of every app that names one: looks at it when the app starts following it, every
 * {@code poll} after that, and at once on {@link #refreshAll()} ({@code orchctl sync}, the webhook). When the
 * newest release changes (a new one published, or the newest one removed) the app is woken, so it rolls out by
 * itself. A channel that cannot be read keeps the release it last resolved to.
 */
public final class ReleaseChannels implements Channels, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReleaseChannels.class);

    private record Followed(ReleaseChannel channel, ArtifactAuth auth) {}

    private record Seen(Release release, String problem) {}

    private final ChannelReader reader;
    private final Consumer<String> wake;
    private final Map<String, Followed> followed = new ConcurrentHashMap<>();
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Timers.daemon("release-channels");

    public ReleaseChannels(HttpArtifactDownloader http, Consumer<String> wake) {
        this(new ChannelReader(http::text), wake);
    }

    ReleaseChannels(ChannelReader reader, Consumer<String> wake) {
        this.reader = reader;
        this.wake = wake;
    }

    public void start(Duration poll) {
        timer.scheduleWithFixedDelay(this::lookAtAll, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void follow(String app, ReleaseChannel channel, ArtifactAuth auth) {
        if (channel == null) {
            followed.remove(app);
            seen.remove(app);
            return;
        }
        Followed f = new Followed(channel, auth);
        if (!f.equals(followed.put(app, f))) {
            seen.remove(app);
            timer.execute(() -> lookAt(app));
        }
    }

    @Override
    public Optional<Release> current(String app) {
        Seen s = seen.get(app);
        return s == null ? Optional.empty() : Optional.ofNullable(s.release());
    }

    @Override
    public Optional<String> problem(String app) {
        Seen s = seen.get(app);
        return s == null ? Optional.empty() : Optional.ofNullable(s.problem());
    }

    /** Looks at every channel now, on the channels' own thread. */
    public void refreshAll() {
        timer.execute(this::lookAtAll);
    }

    private void lookAtAll() {
        followed.keySet().forEach(this::lookAt);
    }

    private void lookAt(String app) {
        Followed f = followed.get(app);
        if (f == null) {
            return;
        }
        Seen before = seen.get(app);
        Release last = before == null ? null : before.release();
        Seen now;
        try {
            now = reader.newest(f.channel(), f.auth()).map(r -> new Seen(r, null))
                    .orElse(new Seen(null, "no release matches " + f.channel().pattern()
                            + (f.channel().takesPreReleases() ? "" : " (pre-releases are not taken)") + " with a sha256"));
        } catch (DownloadException | RuntimeException e) {
            now = new Seen(last, e.getMessage());
        }
        if (!f.equals(followed.get(app))) {
            return; // the manifest changed meanwhile: its own look follows
        }
        seen.put(app, now);
        if (before == null || !Objects.equals(before.release(), now.release()) || !Objects.equals(before.problem(), now.problem())) {
            LOG.infof("%s: channel %s: %s", app, f.channel().where(), now.release() != null ? "release " + now.release().version() : now.problem());
            wake.accept(app);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
