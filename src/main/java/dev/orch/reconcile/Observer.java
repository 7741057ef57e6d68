package dev.orch.reconcile;

import dev.orch.artifact.Channels;
import dev.orch.artifact.Release;
import dev.orch.artifact.UploadWatch;
import dev.orch.manifest.Artifact;
import dev.orch.manifest.ReleaseChannel;
import dev.orch.manifest.Template;
import dev.orch.probe.ProbeWorker;
import dev.orch.probe.Probing;
import dev.orch.state.ActualState;
import dev.orch.state.ArtifactStore;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.DesiredApp;
import dev.orch.state.Reason;
import dev.orch.state.Revision;
import dev.orch.state.RolloutPhase;
import dev.orch.state.StateStore;
import dev.orch.systemd.ActiveState;
import dev.orch.systemd.InstanceId;
import dev.orch.systemd.InstanceStatus;
import dev.orch.systemd.ServiceDriver;
import dev.orch.systemd.ServiceSpec;
import dev.orch.systemd.StatusCache;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Builds one app's {@link Observation}, read-only: desired and actual state (each read once), per color the
 * stored revision and its rendered service specs, unit statuses from the {@link StatusCache}, probe states,
 * and the route. It starts, stops and writes nothing.
 */
public final class Observer {
    private final StateStore store;
    private final ServiceDriver driver;
    private final StatusCache statuses;
    private final Probing probes;
    private final ArtifactStore artifacts;
    private final UploadWatch uploads;
    private final Channels channels;
    private final OpenRoutes routes;
    private final Clock clock;
    /** The executor's smoke verdicts; null where nothing sends smoke checks. */
    private final SmokeVerdicts smoke;

    public Observer(StateStore store, ServiceDriver driver, StatusCache statuses, Probing probes, ArtifactStore artifacts,
            UploadWatch uploads, Channels channels, OpenRoutes routes, Clock clock) {
        this(store, driver, statuses, probes, artifacts, uploads, channels, routes, clock, null);
    }

    public Observer(StateStore store, ServiceDriver driver, StatusCache statuses, Probing probes, ArtifactStore artifacts,
            UploadWatch uploads, Channels channels, OpenRoutes routes, Clock clock, SmokeVerdicts smoke) {
        this.smoke = smoke;
        this.store = store;
        this.driver = driver;
        this.statuses = statuses;
        this.probes = probes;
        this.artifacts = artifacts;
        this.uploads = uploads;
        this.channels = channels;
        this.routes = routes;
        this.clock = clock;
    }

    /** @param pending status changes from the app's inbox, applied to the stored actual state in memory */
    public Observation observe(String app, List<UnaryOperator<ActualState>> pending) {
        DesiredApp desired = store.readDesired(app).orElse(null);
        ActualState stored = store.readActual(app).orElse(ActualState.EMPTY);
        ActualState actual = stored;
        if (desired != null || stored != ActualState.EMPTY) {
            for (UnaryOperator<ActualState> change : pending) {
                actual = change.apply(actual);
            }
        }
        String hash = null;
        Observation.Blocked blocked = null;
        Release release = null;
        if (desired == null && store.quarantined(app).stream().anyMatch(p -> p.getFileName().toString().startsWith("desired.json"))) {
            // unreadable is not deleted: never prune an app because its file was torn
            blocked = new Observation.Blocked(Reason.BLOCKED,
                    "desired.json was unreadable and moved aside (see the log); apply the app again, or delete it");
        }
        if (desired != null && desired.deployment().spec().template().artifact() != null
                && desired.deployment().spec().template().artifact().channel() != null) {
            Template t = desired.deployment().spec().template();
            ReleaseChannel ch = t.artifact().channel();
            release = channels.current(app).orElse(null);
            if (desired.artifactSha256() != null) {
                hash = RevisionHash.of(t, desired.artifactSha256()); // pinned by undo or switch
            } else if (release != null) {
                hash = RevisionHash.of(t, release.sha256());
            } else {
                blocked = channels.problem(app)
                        .map(p -> new Observation.Blocked(Reason.BLOCKED, "channel " + ch.where() + ": " + p))
                        .orElse(new Observation.Blocked(Reason.WAITING_FOR_RELEASE, "looking at channel " + ch.where() + " for its newest release"));
            }
        } else if (desired != null) {
            Template t = desired.deployment().spec().template();
            try {
                hash = RevisionHash.of(t, desired.artifactSha256() != null ? desired.artifactSha256() : artifactDigest(t.artifact()));
            } catch (UploadInProgress e) {
                blocked = new Observation.Blocked(Reason.WAITING_FOR_UPLOAD, "artifact " + t.artifact().path()
                        + " is being written; the new revision starts once the upload is complete");
            } catch (IOException e) {
                blocked = new Observation.Blocked(Reason.BLOCKED, "artifact " + t.artifact().path() + ": " + e.getMessage());
            }
        }
        RouteObservation route = routes.observe(app, desired == null ? null : desired.deployment().spec().route());
        int stray = desired == null ? (int) driver.list().stream().filter(i -> i.id().app().equals(app)).count() : 0;
        int next = hash != null && !runsLive(actual, hash) ? store.nextRevisionNumber(app) : 0;
        Color starting = null;
        int crashLimit = 0;
        var r = actual.rollout();
        if (desired != null && r != null && r.inProgress() && r.phase().ordinal() <= RolloutPhase.WAITING_READY.ordinal()) {
            starting = r.targetColor();
            crashLimit = desired.deployment().spec().strategy().blueGreen().crashLoopRestarts();
        }
        return new Observation(app, desired, hash, blocked, stored, actual,
                observeColor(app, Color.BLUE, actual.blue(), starting == Color.BLUE ? crashLimit : 0),
                observeColor(app, Color.GREEN, actual.green(), starting == Color.GREEN ? crashLimit : 0), route, stray, next, clock.instant(), release,
                smoke == null ? null : smoke.get(app));
    }

    /**
     * A new revision number is needed unless the live color runs the desired hash: an idle color that runs it but
     * is not warm (stopped after keep-warm, e.g. for {@code rollout undo}) gets a full rollout, with a new number.
     */
    private static boolean runsLive(ActualState a, String hash) {
        ColorState live = a.live() == null ? null : a.color(a.live());
        return live != null && hash.equals(live.revisionHash());
    }

    /** The content digest of a template's artifact (hashing a path artifact; the manifest's for a URL). */
    String artifactDigest(Artifact a) throws IOException {
        if (a == null) {
            return null;
        }
        if (a.path() != null) {
            if (uploads.uploading(Path.of(a.path()))) {
                throw new UploadInProgress();
            }
            try {
                return artifacts.digest(Path.of(a.path()));
            } catch (NoSuchFileException e) {
                throw new IOException("no such file", e);
            }
        }
        return a.sha256();
    }

    /** The artifact file is still being written (a hash of it now would be of half an upload). */
    private static final class UploadInProgress extends IOException {}

    /** Journal lines a CrashLoop abort quotes. */
    static final int JOURNAL_LINES = 5;

    /** @param journalAt restarts from which the most restarted replica's journal is read (a crash-loop verdict); 0 never */
    private ColorObservation observeColor(String app, Color color, ColorState cs, int journalAt) {
        if (cs == null) {
            return ColorObservation.NONE;
        }
        Revision rev = store.readRevision(app, cs.revision()).orElse(null);
        if (rev == null) {
            return new ColorObservation(false, false, cs.ports().size(), 0, 0, cs.ports().size(), "revision " + cs.revision() + " is not stored",
                    cs, null, List.of(), List.of());
        }
        List<ServiceSpec> specs = ColorServices.specs(app, color, cs, rev, artifacts);
        Template t = rev.deployment().spec().template();
        boolean installed = true;
        boolean current = true;
        int active = 0;
        int ready = 0;
        int stopped = 0;
        String detail = "";
        List<InstanceId> running = new ArrayList<>();
        InstanceId mostRestarted = null;
        InstanceStatus worst = null;
        for (ServiceSpec spec : specs) {
            InstanceStatus st = statuses.status(spec.id());
            if (worst == null || st.restarts() > worst.restarts()) {
                worst = st;
                mostRestarted = spec.id();
            }
            installed &= st.installed();
            current &= st.installed() && driver.isCurrent(spec);
            if (st.running()) {
                active++;
                running.add(spec.id());
                var readiness = probes.state(ProbeWatch.key(spec.id(), ProbeWorker.Kind.READINESS));
                if (t.readinessProbe() == null || readiness.passing()) {
                    ready++;
                } else {
                    detail = readiness.lastMessage();
                }
            } else {
                if (st.activeState() == ActiveState.INACTIVE || st.activeState() == ActiveState.FAILED) {
                    stopped++;
                }
                detail = spec.id().unitName() + " " + st.activeState().wire() + (st.subState() == null ? "" : "/" + st.subState())
                        + (st.restarts() > 0 ? ", " + st.restarts() + " restarts" : "")
                        + (st.exitStatus() == null ? "" : ", last exit " + st.exitCode() + " " + st.exitStatus());
            }
        }
        ColorObservation.Crashes crashes = ColorObservation.Crashes.NONE;
        if (worst != null && worst.restarts() > 0) {
            boolean verdict = journalAt > 0 && worst.restarts() >= journalAt;
            String exit = worst.exitStatus() != null && worst.exitStatus() != 0 ? worst.exitCode() + " with status " + worst.exitStatus()
                    : verdict ? driver.lastExit(mostRestarted) : ""; // mid-restart systemd shows the new process: ask its log
            List<String> journal = verdict ? driver.lastLogLines(mostRestarted, JOURNAL_LINES) : List.of();
            crashes = new ColorObservation.Crashes(mostRestarted.unitName(), worst.restarts(), exit, journal);
        }
        return new ColorObservation(installed, current, specs.size(), active, ready, stopped, detail, cs, rev, specs, running, crashes);
    }
}
