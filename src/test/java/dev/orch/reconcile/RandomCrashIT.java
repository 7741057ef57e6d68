package dev.orch.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.orch.state.ArtifactStore;
import dev.orch.state.DesiredApp;
import dev.orch.testing.HttpLoad;
import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.SystemdNamespace;
import dev.orch.testing.WebApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGKILL of a real orchd on real systemd at random moments of rollouts (DESIGN.md section 5: "a randomised
 * SIGKILL test"), with HTTP load through the app's route the whole time. The route lives in orch-router.service
 * ({@code orch.route.mode=unit}, as the shipped units run it), so it must keep serving while orchd is dead.
 *
 * <p>Each trial applies a new revision, waits a random 0..{@code orch.crash.max-delay-ms} (default 3000) ms so
 * that the kill lands in any phase (before the rollout began, Preparing, Starting, WaitingReady, Switching,
 * Draining, or once stable), kills orchd with SIGKILL, starts it again on the same state and waits until the app
 * is stable on the desired revision. Then: the route serves the desired version from the live color; actual.json
 * says the rollout is Complete with the desired hash and revision; no orch-marked unit exists but the app's colors
 * (in systemd, as unit files, as environment files), and only the live color runs; every state file parses (none
 * torn, none quarantined, and the temp files a kill left behind are gone after the restart). At the end no request
 * through the route failed.
 *
 * <p>{@code -Dorch.crash.trials=N} (default 20) for more trials; the seed is printed and
 * {@code -Dorch.crash.seed=S} replays its delays. {@link CrashRecoveryIT} kills orchd in each phase on purpose.
 */
class RandomCrashIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();

    static final String APP = "web";
    static final int TRIALS = Integer.getInteger("orch.crash.trials", 20);
    static final int MAX_DELAY_MS = Integer.getInteger("orch.crash.max-delay-ms", 3000);
    /** Read like {@code StateStore} reads (dev.orch.state.StateJson), without opening a store on orchd's directory. */
    static final ObjectMapper STATE_JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    OrchdOnSystemd orch;
    WebApp web;
    String artifactSha;

    @Test
    void convergesAfterSigkillAtRandomMomentsUnderLoad() throws Exception {
        long seed = Long.getLong("orch.crash.seed", new Random().nextLong());
        System.out.printf("RandomCrashIT: %d trials, kill 0..%d ms after apply, seed %d (replay: -Dorch.crash.seed=%d)%n",
                TRIALS, MAX_DELAY_MS, seed, seed);
        Random random = new Random(seed);
        long t0 = System.nanoTime();
        List<String> report = new ArrayList<>();
        Map<String, Integer> killedIn = new TreeMap<>();
        try (OrchdOnSystemd o = new OrchdOnSystemd(SYSTEMD).withRouterUnit()) {
            orch = o;
            // ports of its own, away from the default 20000-29999 of any other orchd on this host (all namespaces share
            // the network): a color keeps its port across rollouts, and another suite's app bound to it while the color
            // is stopped would answer this color's readiness probe and take its traffic
            int firstPort = 10_000 + new Random().nextInt(100) * 100;
            orch.env("ORCH_PORTS_RANGE", firstPort + "-" + (firstPort + 99));
            web = new WebApp(orch.dir());
            artifactSha = new ArtifactStore(orch.dir()).digest(web.hello());
            orch.start();
            apply("v0");
            OrchDist.Result first = orch.orchctl("rollout", "status", APP, "--timeout", "90s");
            assertThat(first.exitCode()).as("%s%n%s", first, orch.logs()).isZero();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> web.get().contains("\"version\": \"v0\""));

            // hello.py answers a keep-alive client in ~45 ms (its header and body go out in two segments): ~130 requests/s
            HttpLoad load = new HttpLoad(web.uri(), 6);
            try {
                for (int trial = 1; trial <= TRIALS; trial++) {
                    String version = "v" + trial;
                    int delay = random.nextInt(MAX_DELAY_MS + 1);
                    int failedBefore = load.failures().size();
                    long start = System.nanoTime();
                    String phase;
                    try {
                        phase = trial(version, delay);
                    } catch (AssertionError | RuntimeException e) {
                        throw new AssertionError("trial " + trial + " (" + version + ", killed " + delay + " ms after apply) of seed " + seed
                                + " failed (replay: -Dorch.crash.seed=" + seed + "): " + e.getMessage()
                                + "\n--- orchd (last 150 lines) ---\n" + tail(orch.logs(), 150)
                                + "\n--- orch-router ---\n" + tail(orch.routerLogs(), 60), e);
                    }
                    killedIn.merge(phase, 1, Integer::sum);
                    int failed = load.failures().size() - failedBefore;
                    String line = "trial %2d: %-4s killed after %4d ms in %-12s converged in %5d ms, %d failed requests"
                            .formatted(trial, version, delay, phase, (System.nanoTime() - start) / 1_000_000, failed);
                    report.add(line);
                    System.out.println("RandomCrashIT " + line);
                }
            } finally {
                load.close();
            }
            long total = load.ok() + load.failures().size();
            System.out.printf("RandomCrashIT: %d trials in %d s, seed %d; kills by phase %s; requests through the route: %d total, %d failed%n",
                    TRIALS, (System.nanoTime() - t0) / 1_000_000_000, seed, killedIn, total, load.failures().size());
            List<String> failures = load.failures();
            assertThat(failures.size()).as("requests failed through the route (seed %d): %d of %d, the first: %s%n%s%n--- orch-router ---%n%s",
                    seed, failures.size(), total, failures.subList(0, Math.min(10, failures.size())), String.join("\n", report),
                    tail(orch.routerLogs(), 80)).isZero();
            assertThat(load.ok()).as("requests served through the route").isGreaterThan(TRIALS * 20L);

            // a clean stop leaves no temp file at all
            orch.stop();
            assertStateFiles(orch.stateDir(), Set.of(), false);
        }
    }

    /** One trial: apply {@code version}, kill orchd after {@code delayMs}, restart, check. @return the phase the kill left persisted */
    String trial(String version, int delayMs) throws Exception {
        int revisionBefore = actual().path("rollout").path("targetRevision").asInt();
        apply(version);
        String desiredHash = desiredHash(version);
        Thread.sleep(delayMs);

        long pid = orch.pid();
        orch.kill();
        assertThat(ProcessHandle.of(pid)).as("orchd (pid %d) is gone after SIGKILL", pid).isEmpty();
        // the phase the crash left persisted: where the restarted orchd resumes
        String phase = phaseAt(orch.actual(APP), desiredHash, revisionBefore);
        // the state as the crash left it: every document whole (a temp file of an interrupted write may be there)
        Set<Path> leftByCrash = assertStateFiles(orch.stateDir(), Set.of(), true);

        orch.start();
        JsonNode a = awaitStable(version, desiredHash);
        // the restarted store removed what the killed writer left; whatever temp file exists now is orchd's own write in flight
        assertStateFiles(orch.stateDir(), leftByCrash, true);

        String live = a.path("live").asText();
        for (int i = 0; i < 3; i++) {
            String body = web.get();
            assertThat(body).as("GET through the route").contains("\"version\": \"" + version + "\"").contains("\"color\": \"" + live + "\"");
        }
        assertNoOrphanUnits(a);
        return phase;
    }

    void apply(String version) throws IOException {
        // keep-warm 1 s: a rollout takes a few seconds, so a kill lands in Draining and after it too
        Path manifest = web.manifest(version, WebApp.READY_ON_HEALTHZ, 60, 1, 0);
        OrchDist.Result r = orch.orchctl("apply", "-f", manifest.toString());
        assertThat(r.exitCode()).as("apply %s: %s", version, r).isZero();
    }

    /** The revision hash of the desired state orchd stored, checked to carry {@code version}. */
    String desiredHash(String version) throws IOException {
        JsonNode tree = STATE_JSON.readTree(orch.stateDir().resolve("apps").resolve(APP).resolve("desired.json").toFile());
        ((ObjectNode) tree).remove("schemaVersion");
        DesiredApp desired = STATE_JSON.treeToValue(tree, DesiredApp.class);
        var template = desired.deployment().spec().template();
        assertThat(template.env()).as("desired.json after apply").anyMatch(e -> e.name().equals("HELLO_VERSION") && e.value().equals(version));
        return RevisionHash.of(template, desired.artifactSha256() != null ? desired.artifactSha256() : artifactSha);
    }

    static String phaseAt(JsonNode actual, String desiredHash, int revisionBefore) {
        JsonNode r = actual == null ? null : actual.get("rollout");
        if (r == null || r.isNull()) {
            return "NoRollout";
        }
        if (!desiredHash.equals(r.path("targetHash").asText())) {
            return r.path("targetRevision").asInt() == revisionBefore ? "NotBegun" : "Other:" + r.path("phase").asText();
        }
        String p = r.path("phase").asText();
        return p.equals("Complete") ? "Stable" : p;
    }

    JsonNode actual() {
        JsonNode a = orch.actual(APP);
        return a == null ? STATE_JSON.createObjectNode() : a;
    }

    /** Polls actual.json until the rollout of {@code desiredHash} is Complete and live; fails with the last state after 60 s. */
    JsonNode awaitStable(String version, String desiredHash) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode a = orch.actual(APP);
            String why = notStable(a, desiredHash);
            if (why == null) {
                return a;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not stable on " + version + " (" + desiredHash + ") 60 s after the restart: " + why
                        + "\nactual.json: " + a);
            }
            Thread.sleep(100);
        }
    }

    /** null when stable on the desired revision, else what is missing. */
    String notStable(JsonNode a, String desiredHash) throws IOException {
        if (a == null) {
            return "no actual.json";
        }
        JsonNode r = a.path("rollout");
        if (!r.path("targetHash").asText().equals(desiredHash)) {
            return "rollout targets " + r.path("targetHash").asText() + " (revision " + r.path("targetRevision").asText() + ")";
        }
        if (!r.path("phase").asText().equals("Complete")) {
            return "rollout in phase " + r.path("phase").asText();
        }
        String live = a.path("live").asText();
        if (!live.equals(r.path("targetColor").asText())) {
            return "live color " + live + ", rollout went to " + r.path("targetColor").asText();
        }
        JsonNode liveState = a.path(live);
        int revision = r.path("targetRevision").asInt();
        if (liveState.path("revision").asInt() != revision || !liveState.path("revisionHash").asText().equals(desiredHash)) {
            return "live color runs revision " + liveState.path("revision") + " (" + liveState.path("revisionHash").asText() + ")";
        }
        Path revisionFile = orch.stateDir().resolve("apps").resolve(APP).resolve("revisions").resolve(revision + ".json");
        if (!Files.exists(revisionFile)) {
            return "revision " + revision + " is not stored";
        }
        String storedHash = STATE_JSON.readTree(revisionFile.toFile()).path("hash").asText();
        if (!storedHash.equals(desiredHash)) {
            return "stored revision " + revision + " has hash " + storedHash;
        }
        JsonNode desired = STATE_JSON.readTree(orch.stateDir().resolve("apps").resolve(APP).resolve("desired.json").toFile());
        if (a.path("observedGeneration").asLong() != desired.path("generation").asLong()) {
            return "observed generation " + a.path("observedGeneration") + ", desired " + desired.path("generation");
        }
        return null;
    }

    /**
     * Every orch-marked unit, loaded in systemd or as a file in the unit directory, and every environment file is one
     * of the app's colors in actual.json, and only the live color's units run.
     */
    void assertNoOrphanUnits(JsonNode actual) throws IOException {
        Set<String> colors = new TreeSet<>();
        for (String c : List.of("blue", "green")) {
            actual.path(c).path("units").forEach(u -> colors.add(u.asText()));
        }
        List<String> liveUnits = new ArrayList<>();
        actual.path(actual.path("live").asText()).path("units").forEach(u -> liveUnits.add(u.asText()));
        assertThat(liveUnits).as("units of the live color").isNotEmpty();

        Path unitDir = SYSTEMD.path("/run/systemd/system");
        Map<String, String> loaded = new LinkedHashMap<>(); // unit -> ACTIVE column
        for (String l : SYSTEMD.exec("systemctl", "list-units", "--all", "--no-legend", "--plain", "orch-*").stdout().lines().toList()) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 3 && (f[0].startsWith("orch-" + APP + "-") || marked(unitDir.resolve(f[0])))) {
                loaded.put(f[0], f[2]);
            }
        }
        assertThat(loaded.keySet()).as("orch-marked units in systemd (actual.json's colors: %s)", colors).isSubsetOf(colors);
        List<String> running = loaded.entrySet().stream().filter(e -> !e.getValue().equals("inactive") && !e.getValue().equals("failed"))
                .map(Map.Entry::getKey).toList();
        assertThat(running).as("running units (%s)", loaded).containsExactlyInAnyOrderElementsOf(liveUnits);

        List<String> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(unitDir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (marked(p)) {
                    files.add(p.getFileName().toString());
                }
            }
        }
        assertThat(files).as("unit files with orch's marker in %s", unitDir).isSubsetOf(colors).containsAll(liveUnits);

        List<String> envFiles = new ArrayList<>(); // orch-web-blue-0.env holds the environment of orch-web-blue-0.service
        try (Stream<Path> s = Files.list(SYSTEMD.path("/run/orch/env"))) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".env"))
                    .forEach(n -> envFiles.add(n.substring(0, n.length() - ".env".length()) + ".service"));
        }
        assertThat(envFiles).as("environment files in /run/orch/env, by unit").isSubsetOf(colors);
    }

    static boolean marked(Path unitFile) throws IOException {
        return Files.isRegularFile(unitFile) && Files.readString(unitFile).lines().anyMatch(l -> l.startsWith("X-Orch-App="));
    }

    /**
     * Every JSON document under the state directory parses with schemaVersion 1, every complete line of audit.log
     * too, and nothing was moved aside as unusable. Temp files of interrupted or in-flight writes are allowed when
     * {@code tempAllowed}, except those named in {@code gone}.
     *
     * @return the temp files found
     */
    static Set<Path> assertStateFiles(Path state, Set<Path> gone, boolean tempAllowed) throws IOException {
        Set<Path> temps = new HashSet<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(state)) {
            files = s.filter(p -> !p.startsWith(state.resolve("git")) && !p.startsWith(state.resolve("artifacts")))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
        } catch (UncheckedIOException e) {
            // a temp file renamed away while walking: look again
            return assertStateFiles(state, gone, tempAllowed);
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            assertThat(name).as("quarantined state file %s", f).doesNotContain(".corrupt");
            if (name.startsWith(".") && name.contains(".orch-tmp-")) {
                assertThat(tempAllowed && !gone.contains(f)).as("temp file %s (left by the crash: %s)", f, gone.contains(f)).isTrue();
                temps.add(f);
                continue;
            }
            byte[] all;
            try {
                all = Files.readAllBytes(f);
            } catch (NoSuchFileException e) {
                continue; // removed since the walk (an old revision pruned)
            }
            if (name.endsWith(".json")) {
                json(new String(all, StandardCharsets.UTF_8), f.toString());
            } else if (name.equals("audit.log")) {
                // a torn last line (no newline yet) is allowed: the next append truncates it
                int start = 0;
                for (int i = 0; i < all.length; i++) {
                    if (all[i] == '\n') {
                        String line = new String(all, start, i - start, StandardCharsets.UTF_8);
                        json(line, f + ", line " + line);
                        start = i + 1;
                    }
                }
            }
        }
        return temps;
    }

    /** Fails unless {@code text} is a JSON object with schemaVersion 1. */
    static void json(String text, String what) {
        JsonNode n;
        try {
            n = STATE_JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(what + " does not parse (torn write?): " + e.getMessage().lines().findFirst().orElse("") + "\n" + text, e);
        }
        if (n == null || !n.isObject() || n.path("schemaVersion").asInt() != 1) {
            throw new AssertionError(what + " is not a state document with schemaVersion 1: " + text);
        }
    }

    static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
