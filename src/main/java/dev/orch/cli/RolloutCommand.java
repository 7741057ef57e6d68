package dev.orch.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.orch.api.AppStatus;
import dev.orch.api.ApplyResult;
import dev.orch.state.Condition;
import dev.orch.state.ConditionStatus;
import dev.orch.state.ConditionType;
import dev.orch.state.Reason;
import dev.orch.state.Revision;
import dev.orch.state.Rollout;
import dev.orch.state.RolloutPhase;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rollout", description = "Manage rollouts: status, history, undo, promote, abort, retry, restart.",
        subcommands = {RolloutCommand.Status.class, RolloutCommand.History.class, RolloutCommand.Undo.class, RolloutCommand.Promote.class,
            RolloutCommand.Abort.class, RolloutCommand.Retry.class, RolloutCommand.Restart.class})
public class RolloutCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: status, history, undo, promote, abort, retry or restart");
    }

    /** A verb without options: POST it, print kubectl's {@code kind/name <done>} line. */
    static int postAndSay(String name, String verb, String done) {
        post(name, verb, "");
        System.out.println(ApplyCommand.KIND + "/" + name + " " + done);
        return 0;
    }

    static ApplyResult post(String name, String verb, String query) {
        try (ApiClient api = ApiClient.connect()) {
            var r = api.ok(api.call(HttpMethod.POST, "/api/v1/apps/" + name + "/" + verb + query, null, null));
            return ApiClient.JSON.readValue(r.body().getBytes(), ApplyResult.class);
        } catch (java.io.IOException e) {
            throw new CliException("orchd sent an unreadable answer: " + e.getMessage(), e);
        }
    }

    @Command(name = "status", description = "Follow the rollout of an app until it ends: exit 0 when it succeeded, 1 when it failed or timed out.")
    static class Status implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--timeout", paramLabel = "DURATION", description = "Give up after this long, e.g. 90s, 5m (default: no limit).")
        String timeout;

        @Override
        public Integer call() throws InterruptedException {
            long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + Durations.parse(timeout).toNanos();
            String last = null;
            long blockedSince = 0;
            try (ApiClient api = ApiClient.connect()) {
                while (true) {
                    AppStatus s = api.get("/api/v1/apps/" + name, AppStatus.class);
                    Rollout r = s.status().rollout();
                    boolean observed = s.desired() != null && s.status().observedGeneration() >= s.desired().generation();
                    Condition progressing = s.status().condition(ConditionType.PROGRESSING);
                    Condition stalled = s.status().condition(ConditionType.STALLED);
                    if (observed && stalled != null && stalled.status() == ConditionStatus.TRUE) {
                        System.err.println("error: rollout of " + name + " is stalled: " + stalled.reason() + ": " + stalled.message());
                        return Cli.EXIT_FAILURE;
                    }
                    String line;
                    if (observed && r != null && (r.phase() == RolloutPhase.COMPLETE || r.phase() == RolloutPhase.DRAINING)) {
                        System.out.println("app \"" + name + "\" successfully rolled out: revision " + r.targetRevision() + " is live in " + r.targetColor());
                        return 0;
                    }
                    if (observed && r != null && r.phase() == RolloutPhase.ABORTED) {
                        System.err.println("error: rollout of revision " + r.targetRevision() + " failed: "
                                + (progressing == null ? "aborted" : progressing.reason() + ": " + progressing.message()));
                        return Cli.EXIT_FAILURE;
                    }
                    boolean blocked = progressing != null && progressing.is(ConditionStatus.FALSE, Reason.BLOCKED);
                    // a rollout that cannot start (missing artifact, bad template) fails like kubectl's deadline, once it
                    // has stayed blocked for 2 s: a fresh apply's reconcile may not have replaced an old condition yet
                    blockedSince = blocked ? (blockedSince == 0 ? System.nanoTime() : blockedSince) : 0;
                    if (blocked && System.nanoTime() - blockedSince > 2_000_000_000L) {
                        System.err.println("error: rollout of \"" + name + "\" is blocked: " + progressing.message());
                        return Cli.EXIT_FAILURE;
                    }
                    if (r == null || !observed) {
                        line = "Waiting for the rollout of \"" + name + "\" to start...";
                    } else {
                        line = "Waiting for rollout of revision " + r.targetRevision() + " to " + r.targetColor() + " to finish: "
                                + r.phase().wire() + (r.inCanary() ? " (Canary: " + r.canary().describe() + ")" : "") + (progressing == null || progressing.message() == null ? "" : " (" + progressing.message() + ")");
                    }
                    if (!line.equals(last)) {
                        System.out.println(line);
                        last = line;
                    }
                    if (System.nanoTime() > deadline) {
                        System.err.println("error: timed out waiting for the rollout of \"" + name + "\" after " + timeout);
                        return Cli.EXIT_FAILURE;
                    }
                    Thread.sleep(500);
                }
            }
        }
    }

    @Command(name = "history", description = "List the stored revisions of an app.")
    static class History implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (ApiClient api = ApiClient.connect()) {
                List<Revision> revs = api.get("/api/v1/apps/" + name + "/history", new TypeReference<List<Revision>>() {});
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"REVISION", "HASH", "SOURCE", "CREATED"});
                for (Revision r : revs) {
                    rows.add(new String[] {Integer.toString(r.number()), r.hash(), r.source().describe(), r.createdAt().toString()});
                }
                System.out.print(Tables.align(rows));
                return 0;
            }
        }
    }

    @Command(name = "undo", description = "Roll back to the previous revision (or --to-revision) through the safe blue/green path.")
    static class Undo implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--to-revision", paramLabel = "N", description = "Revision to go back to (default: the one before the live one).")
        Integer toRevision;

        @Override
        public Integer call() {
            ApplyResult r = post(name, "undo", toRevision == null ? "" : "?toRevision=" + toRevision);
            System.out.println(ApplyCommand.KIND + "/" + name + " rolled back (" + r.result() + ")");
            return 0;
        }
    }

    @Command(name = "promote", description = "Switch a rollout that waits for manual promotion; move a canary to its next step.")
    static class Promote implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--full", description = "Skip the canary's remaining steps: 100 % to the new revision now.")
        boolean full;

        @Override
        public Integer call() {
            post(name, "promote", full ? "?full=true" : "");
            System.out.println(ApplyCommand.KIND + "/" + name + (full ? " promoted in full" : " promoted"));
            return 0;
        }
    }

    @Command(name = "abort", description = "Send 100 % back to the live color during a canary; the revision is remembered as bad.")
    static class Abort implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return postAndSay(name, "abort", "aborted");
        }
    }

    @Command(name = "retry", description = "Start again a revision that failed its bake or its deadline (remembered as bad until then).")
    static class Retry implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return postAndSay(name, "retry", "retried");
        }
    }

    @Command(name = "restart", description = "Start the live revision afresh through the blue/green path (new revision, then switch).")
    static class Restart implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            return postAndSay(name, "restart", "restarted");
        }
    }

    /** kubectl-style durations: 90s, 5m, 1h, or plain seconds. */
    static final class Durations {
        private Durations() {}

        static Duration parse(String s) {
            try {
                if (s.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
                }
                char unit = s.charAt(s.length() - 1);
                long n = Character.isDigit(unit) ? Long.parseLong(s) : Long.parseLong(s.substring(0, s.length() - 1));
                return switch (unit) {
                    case 'h' -> Duration.ofHours(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                };
            } catch (RuntimeException e) {
                throw new CliException("invalid duration \"" + s + "\": use e.g. 90s, 5m or 1h");
            }
        }
    }
}
