package dev.orch.intake;

import dev.orch.manifest.Deployment;
import dev.orch.state.AppEvent;
import dev.orch.state.AuditEntry;
import dev.orch.state.Condition;
import dev.orch.state.ConditionStatus;
import dev.orch.state.ConditionType;
import dev.orch.state.DesiredApp;
import dev.orch.state.Reason;
import dev.orch.state.Source;
import dev.orch.state.StateStore;
import dev.orch.state.StatusInbox;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one door for desired state, shared by the API and every git repository: it checks ownership, writes the
 * desired state with its generation, appends the audit entry naming who asked, posts the source's condition
 * and enqueues the app. Serialised per app, so two writers (an HTTP thread and the git thread, or two
 * requests) never lose a generation.
 */
public final class Intake {
    public enum Change {
        CREATED,
        CONFIGURED,
        UNCHANGED,
        DELETED,
        NOT_FOUND;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** @param generation the stored generation after the change (0 once deleted) */
    public record Outcome(String app, Change change, long generation) {}

    private final StateStore store;
    private final StatusInbox inbox;
    private final Consumer<String> enqueue;
    private final Clock clock;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private volatile Ownership ownership = Ownership.NONE;

    private volatile Map<Integer, String> reserved = Map.of();
    private volatile Map<String, String> hostLabels = Map.of();

    public Intake(StateStore store, StatusInbox inbox, Consumer<String> enqueue, Clock clock) {
        this.store = store;
        this.inbox = inbox;
        this.enqueue = enqueue;
        this.clock = clock;
    }

    /** Which git repository defines an app, and where pins are kept (set once the git sources exist; none before). */
    public void ownership(Ownership ownership) {
        this.ownership = ownership;
    }

    /** As {@link #ownership}, for owners that keep no pins. */
    public void owners(Function<String, Optional<Owner>> owners) {
        this.ownership = new Ownership() {
            @Override
            public Optional<Owner> owner(String app) {
                return owners.apply(app);
            }

            @Override
            public void pin(String app, Pin pin) {
                // not kept
            }
        };
    }

    public Optional<Owner> owner(String app) {
        return ownership.owner(app);
    }

    /**
     * Applies by hand ({@code orchctl apply}): all or nothing. Apps a git repository defines are refused unless
     * {@code force}; a forced one shows {@code GitSynced=False OverriddenByApply} until git changes it again.
     *
     * @throws OwnershipConflict naming each refused app's repository and file; nothing was applied
     */
    public List<Outcome> applyByHand(List<Deployment> deployments, Actor actor, boolean force, boolean dryRun) {
        if (!force) {
            List<String> owned = new ArrayList<>();
            for (Deployment d : deployments) {
                owner(d.name()).ifPresent(o -> owned.add("app \"" + d.name() + "\" is defined in git repository " + o.repo() + " (" + o.url() + ") at " + o.path()));
            }
            if (!owned.isEmpty()) {
                throw new OwnershipConflict(owned);
            }
        }
        List<Outcome> out = new ArrayList<>();
        for (Deployment d : deployments) {
            out.add(dryRun ? preview(d, Source.APPLY) : put(d, Source.APPLY, null, actor, "apply", Map.of()));
            if (!dryRun) {
                owner(d.name()).ifPresent(o -> overridden(d.name(), o));
            }
        }
        return out;
    }

    /** This host's labels ({@code orch.host.labels}): which apps it takes, and their per-label values. */
    public void hostLabels(Map<String, String> labels) {
        this.hostLabels = Map.copyOf(labels);
    }

    public Map<String, String> hostLabels() {
        return hostLabels;
    }

    /** Whether this host runs {@code d}, why, and what exactly it runs ({@link Placement}). */
    public Placement.Decision decide(Deployment d) {
        return Placement.decide(d, hostLabels);
    }

    /**
     * What this host runs of a request by hand: each app with its overrides applied.
     *
     * @throws NotPlaced naming each app whose selector this host does not match; nothing is applied
     */
    public List<Deployment> placeByHand(List<Deployment> deployments) {
        List<String> refused = new ArrayList<>();
        List<Deployment> out = new ArrayList<>();
        for (Deployment d : deployments) {
            Placement.Decision p = decide(d);
            if (p.runs()) {
                out.add(p.effective());
            } else {
                refused.add("app \"" + d.name() + "\" is not placed on this host: " + p.reason());
            }
        }
        if (!refused.isEmpty()) {
            throw new NotPlaced(refused);
        }
        return out;
    }

    /** The ports orchd's own listeners hold (port -> what holds it), which no app's route may take. */
    public void reservedPorts(Map<Integer, String> ports) {
        this.reserved = Map.copyOf(ports);
    }

    /**
     * The route ports of {@code incoming} that orch knows an owner of: orchd's own listeners, or another app's
     * route (the stored desired state of every app not in {@code incoming}); per app, one line per conflict.
     */
    public Map<String, List<String>> portConflicts(List<Deployment> incoming) {
        java.util.Set<String> names = new java.util.HashSet<>();
        incoming.forEach(d -> names.add(d.name()));
        Map<String, Deployment> others = new java.util.HashMap<>();
        for (String app : store.listApps()) {
            if (!names.contains(app)) {
                store.readDesired(app).ifPresent(d -> others.put(app, d.deployment()));
            }
        }
        return PortClaims.byApp(incoming, reserved, others);
    }

    /** What {@link #put} would do, changing nothing. */
    public Outcome preview(Deployment d, Source source) {
        Optional<DesiredApp> old = store.readDesired(d.name());
        Change c = old.isEmpty() ? Change.CREATED
                : old.get().deployment().equals(d) && old.get().source().equals(source) ? Change.UNCHANGED : Change.CONFIGURED;
        return new Outcome(d.name(), c, old.map(DesiredApp::generation).orElse(0L));
    }

    /**
     * Stores what a source asks for (generation +1 when anything changed; an identical request changes nothing),
     * audits it as {@code action} with {@code details}, and enqueues the app.
     *
     * @param artifactSha256 pins the artifact copy to run (undo and switch to a stored revision); null normally
     */
    public Outcome put(Deployment d, Source source, String artifactSha256, Actor actor, String action, Map<String, String> details) {
        synchronized (lock(d.name())) {
            Optional<DesiredApp> old = store.readDesired(d.name());
            DesiredApp next = store.updateDesired(d, source, artifactSha256);
            Change c = old.isEmpty() ? Change.CREATED : old.get().generation() == next.generation() ? Change.UNCHANGED : Change.CONFIGURED;
            if (c != Change.UNCHANGED) {
                Map<String, String> all = new HashMap<>(details);
                all.put("generation", Long.toString(next.generation()));
                store.appendAudit(new AuditEntry(clock.instant(), d.name(), action, actor.describe(), all));
            }
            enqueue.accept(d.name());
            return new Outcome(d.name(), c, next.generation());
        }
    }

    /**
     * {@code rollout undo} or {@code switch} to a stored revision. A git-owned app is then pinned there: commits that
     * do not change its manifest leave it alone, the next one that does deploys git's version again. The pin is
     * a {@code GitSynced=False RolledBack} condition and a Warning event on the app.
     */
    public Outcome rollBack(Deployment target, Source source, String artifactSha256, int revision, Actor actor, String action) {
        Optional<Owner> owner = owner(target.name());
        Map<String, String> details = new HashMap<>(Map.of("revision", Integer.toString(revision)));
        Pin pin = null;
        if (owner.isPresent()) {
            pin = new Pin(Pin.ROLLED_BACK, revision, clock.instant(), actor.describe(), owner.get().endsWhen(target.name()));
            // recorded first: a sync between the two sees the pin and the old desired state, and keeps both
            ownership.pin(target.name(), pin);
            details.put("pinned", "true");
        }
        Outcome out = put(target, source, artifactSha256, actor, action, details);
        if (pin != null) {
            String msg = pin.describe(target.name());
            condition(target.name(), Condition.of(ConditionType.GIT_SYNCED, ConditionStatus.FALSE, Reason.ROLLED_BACK, msg, pin.since()),
                    AppEvent.warning(pin.since(), Reason.ROLLED_BACK, msg));
        }
        return out;
    }

    /**
     * {@code orchctl delete} by hand: an app a git repository defines is refused (naming the repository and file)
     * unless {@code force}; a forced delete is kept (the repository's status shows it) until a commit changes the app.
     *
     * @throws OwnershipConflict when a repository defines the app and {@code force} is false; nothing was deleted
     */
    public Outcome deleteByHand(String app, Actor actor, boolean force) {
        Optional<Owner> owner = owner(app);
        if (owner.isEmpty()) {
            return delete(app, actor, Map.of());
        }
        Owner o = owner.get();
        if (!force) {
            throw OwnershipConflict.ofDelete("app \"" + app + "\" is defined in git repository " + o.repo() + " (" + o.url() + ") at " + o.path());
        }
        ownership.pin(app, new Pin(Pin.DELETED_BY_HAND, null, clock.instant(), actor.describe(), o.endsWhen(app)));
        return delete(app, actor, Map.of("forced", "true", "repository", o.url(), "path", o.path()));
    }

    /** Deletes the app's desired state (the control loop then removes its units and archives it). */
    public Outcome delete(String app, Actor actor, Map<String, String> details) {
        synchronized (lock(app)) {
            if (!store.deleteDesired(app)) {
                return new Outcome(app, Change.NOT_FOUND, 0);
            }
            store.appendAudit(new AuditEntry(clock.instant(), app, "delete", actor.describe(), new HashMap<>(details)));
            enqueue.accept(app);
            return new Outcome(app, Change.DELETED, 0);
        }
    }

    /** A source's view of the app (its condition, and an event when not null), written by the app's next reconcile. */
    public void condition(String app, Condition condition, AppEvent event) {
        inbox.post(app, a -> event == null ? a.withCondition(condition) : a.withCondition(condition).withEvent(event));
        enqueue.accept(app);
    }

    /** Releases a rollout waiting for manual promotion (recorded by the app's next reconcile). */
    public void promote(String app, Actor actor) {
        promote(app, actor, false);
    }

    /**
     * Releases a rollout waiting for manual promotion; a canary goes on to its next step, or with {@code full} to
     * 100 % (recorded by the app's next reconcile).
     */
    public void promote(String app, Actor actor, boolean full) {
        var now = clock.instant();
        inbox.post(app, a -> {
            var r = a.rollout();
            if (r == null || !r.inProgress()) {
                return a;
            }
            var next = r.inCanary()
                    ? r.withCanary(r.canary().asked(full ? dev.orch.state.CanaryProgress.Request.FULL : dev.orch.state.CanaryProgress.Request.PROMOTE))
                    : r.promote();
            return a.withRollout(next).withEvent(AppEvent.normal(now, Reason.PROMOTED, "revision " + r.targetRevision()
                    + (full ? " promoted in full by " : " promoted by ") + actor.describe()));
        });
        store.appendAudit(new AuditEntry(now, app, "promote", actor.describe(), full ? Map.of("full", "true") : Map.of()));
        enqueue.accept(app);
    }

    /** {@code rollout abort}: a running canary goes back to 100 % on the live color (done by the app's next reconcile). */
    public void abort(String app, Actor actor) {
        var now = clock.instant();
        inbox.post(app, a -> a.rollout() == null || !a.rollout().inCanary() ? a
                : a.withRollout(a.rollout().withCanary(a.rollout().canary().asked(dev.orch.state.CanaryProgress.Request.ABORT))));
        store.appendAudit(new AuditEntry(now, app, "abort", actor.describe(), Map.of()));
        enqueue.accept(app);
    }

    /** {@code rollout retry}: the last aborted rollout's revision is no longer remembered as bad, so it starts again. */
    public void retry(String app, Actor actor) {
        var now = clock.instant();
        inbox.post(app, a -> a.rollout() == null || a.rollout().phase() != dev.orch.state.RolloutPhase.ABORTED || a.rollout().retry() ? a
                : a.withRollout(a.rollout().retried())
                        .withEvent(AppEvent.normal(now, Reason.RETRIED, "revision " + a.rollout().targetRevision() + " retried by " + actor.describe())));
        store.appendAudit(new AuditEntry(now, app, "retry", actor.describe(), Map.of()));
        enqueue.accept(app);
    }

    private void overridden(String app, Owner o) {
        String msg = "applied by hand over git repository " + o.repo() + " (" + o.url() + ") " + o.path()
                + "; the next commit that changes this app replaces it";
        var now = clock.instant();
        condition(app, Condition.of(ConditionType.GIT_SYNCED, ConditionStatus.FALSE, Reason.OVERRIDDEN_BY_APPLY, msg, now),
                AppEvent.warning(now, Reason.OVERRIDDEN_BY_APPLY, msg));
    }

    private Object lock(String app) {
        return locks.computeIfAbsent(app, k -> new Object());
    }
}
