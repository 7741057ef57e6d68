package dev.orch.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.systemd.CommandRunner;
import dev.orch.testing.HttpLoad;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.ReadmeWalkthrough;
import dev.orch.testing.ReadmeWalkthrough.Step;
import dev.orch.testing.SystemdNamespace;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole journey of README.md "Install on a VM with systemd", run line by line against real systemd booted
 * in a namespace: systemd/install of the packaged target/orch, orchd.service from systemd/, a bare git repository
 * with the post-receive hook, git push -> serving, a new version pushed under load -> switched with no failed
 * request, get/describe, rollout undo, orchd stopped and started under load with no failed request and no
 * app restarted, a metrics scrape;
 * then systemd/uninstall, keeping the apps, and with --remove-apps --purge. Only paths and ports differ from
 * the README (a scratch directory, free ports, the namespace's /run unit directory).
 */
class JourneyIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();

    static final String HEADING = "## Install on a VM with systemd";
    static final String GROUP = "orch-journey";
    static final String UNIT_DIR = "/run/systemd/system";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    static Path dir;
    Path prefix;
    Path configDir;
    Path stateDir;
    int port;
    int mgmt;
    int routerMetrics;

    @AfterAll
    static void cleanUp() throws Exception {
        SYSTEMD.exec("systemctl", "stop", "orchd.service", "orch-router.service");
        // the namespace shares the host's /etc: the test's group must not outlive it
        if (SYSTEMD.exec("getent", "group", GROUP).exitCode() == 0) {
            SYSTEMD.exec("groupdel", GROUP);
        }
        if (dir != null) {
            new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
        }
    }

    /** The README line as this test runs it: the same command with the scratch paths and ports. */
    String localize(String command) {
        String c = command
                .replace("/opt/orch", prefix.toString())
                .replace("/srv/git", dir.resolve("srv/git").toString())
                .replace("/root/apps", dir.resolve("apps").toString())
                .replace("localhost:8080", "localhost:" + port)
                .replace("localhost:9464", "localhost:" + mgmt)
                .replace("localhost:9465", "localhost:" + routerMetrics);
        if (c.startsWith("orchctl ")) {
            c = prefix.resolve("bin/orchctl") + c.substring("orchctl".length());
        }
        if (c.startsWith("systemd/install ")) {
            c = "systemd/install " + String.join(" ", installPaths()) + " --bin-dir ''"
                    + " --set quarkus.management.port=" + mgmt + " --set orch.route.metrics-port=" + routerMetrics
                    + " --set orch.reconcile.resync=5s" + c.substring("systemd/install".length());
        }
        return c;
    }

    List<String> installPaths() {
        return List.of("--prefix", prefix.toString(), "--config-dir", configDir.toString(), "--state-dir", stateDir.toString(),
                "--unit-dir", UNIT_DIR, "--group", GROUP);
    }

    /** A shell command inside the namespace (so systemctl is its systemd), from the source tree, as root. */
    CommandRunner.Result sh(String command) {
        List<String> argv = new ArrayList<>(SYSTEMD.nsenterPrefix());
        // entering the mount namespace moves to its root: go back to the source tree, as the README assumes
        // timeout(1): a hung command fails the step instead of the whole build (its children hold the pipes)
        argv.addAll(List.of("timeout", "170", "sh", "-c", "cd '" + Path.of("").toAbsolutePath() + "' && " + command));
        return CommandRunner.run(argv, Duration.ofSeconds(180), Map.of(
                "ORCH_CONFIG", configDir.resolve("orchd.properties").toString(),
                "ORCHCTL", prefix.resolve("bin/orchctl").toString()));
    }

    String show(String unit, String property) {
        return SYSTEMD.exec("systemctl", "show", "-p", property, "--value", unit).stdout().strip();
    }

    /** Main PIDs of the app's running color units. */
    Map<String, String> appPids(String app) {
        Map<String, String> pids = new LinkedHashMap<>();
        for (String color : List.of("blue", "green")) {
            String unit = "orch-" + app + "-" + color + "-0.service";
            if (show(unit, "ActiveState").equals("active")) {
                pids.put(unit, show(unit, "MainPID"));
            }
        }
        return pids;
    }

    /** GET on a color's own port, from the X-Orch-Port of its unit file: the app itself, without the route. */
    String direct(String unit) throws Exception {
        Matcher m = Pattern.compile("(?m)^X-Orch-Port=(\\d+)$").matcher(Files.readString(SYSTEMD.path(UNIT_DIR + "/" + unit)));
        assertThat(m.find()).as("%s names its port", unit).isTrue();
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.group(1) + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void theReadmeJourneyOnRealSystemd() throws Exception {
        dir = Files.createDirectories(Path.of("/var/lib/orch-it", "journey-" + UUID.randomUUID().toString().substring(0, 8)));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        prefix = dir.resolve("opt/orch");
        configDir = dir.resolve("etc/orchd");
        stateDir = dir.resolve("state");
        port = OrchdOnSystemd.freePort();
        mgmt = OrchdOnSystemd.freePort();
        routerMetrics = OrchdOnSystemd.freePort();
        URI route = URI.create("http://127.0.0.1:" + port + "/");

        List<Step> steps = ReadmeWalkthrough.steps(Path.of("README.md"), HEADING);
        assertThat(steps).extracting(Step::command).contains("systemctl stop orchd", "systemctl start orchd", "orchctl rollout undo hello")
                .anyMatch(c -> c.startsWith("systemd/install "));
        HttpLoad load = null;
        Map<String, String> pidsBeforeStop = Map.of();
        for (Step step : steps) {
            String command = localize(step.command());
            if (step.command().contains("commit -qam \"hello v2\"")) {
                load = new HttpLoad(route, 4); // from before the v2 commit until v2 answers
            }
            if (step.command().equals("systemctl stop orchd")) {
                pidsBeforeStop = appPids("hello");
                assertThat(pidsBeforeStop).containsKey("orch-hello-blue-0.service");
                load = new HttpLoad(route, 4); // through orchd's stop and start: the route is orch-router's
            }

            CommandRunner.Result r = sh(command);
            String out = r.stdout() + r.stderr();
            assertThat(r.exitCode()).as("README line %d: %s%n%s%n%s", step.line(), command, out, SYSTEMD.journal()).isZero();
            assertThat(out).as("README line %d: %s", step.line(), command).contains(step.expect());

            if (step.command().startsWith("cp ") && step.command().endsWith("hello.yaml")) {
                // the example's public port is 8080 and its artifact under /opt/orch; the test's are elsewhere
                Path manifest = dir.resolve("apps/hello.yaml");
                Files.writeString(manifest, Files.readString(manifest).replace("port: 8080 ", "port: " + port + " ")
                        .replace("/opt/orch", prefix.toString()));
            }
            if (step.command().startsWith("systemd/install ")) {
                assertInstalled();
            }
            if (load != null && (step.expect().contains("\"version\": \"v2\"") || step.command().startsWith("curl -s localhost:9464"))) {
                load.close();
                assertThat(load.failures()).as("requests failed through the route up to README line %d (%s)%n%s", step.line(), step.command(),
                        SYSTEMD.exec("journalctl", "--no-pager", "-o", "short-monotonic", "-u", "orchd.service", "-u", "orch-router.service", "-n", "150").stdout()
                                + SYSTEMD.exec("sh", "-c", "journalctl --no-pager -o short-monotonic -u orch-hello-blue-0.service | grep -v 'GET /'").stdout())
                        .isEmpty();
                assertThat(load.ok()).isGreaterThan(50);
                load = null;
            }
            if (step.command().equals("systemctl stop orchd")) {
                assertThat(show("orchd.service", "ActiveState")).isEqualTo("inactive");
                assertThat(appPids("hello")).as("the apps are separate units: still running, same processes").isEqualTo(pidsBeforeStop);
                assertThat(direct("orch-hello-blue-0.service")).as("the live color serves on its own port").contains("\"version\": \"v1\"");
            }
        }
        Thread.sleep(6_000); // a resync (5 s) after the restart: adopting must not restart anything
        assertThat(appPids("hello")).as("nothing restarted across the orchd restart").isEqualTo(pidsBeforeStop);
        for (String unit : pidsBeforeStop.keySet()) {
            assertThat(show(unit, "NRestarts")).as(unit).isEqualTo("0");
        }
        uninstall(pidsBeforeStop);
    }

    /** What systemd/install promised: the unit active, the group, and who may use the API socket. */
    void assertInstalled() throws Exception {
        assertThat(show("orchd.service", "ActiveState")).isEqualTo("active");
        assertThat(show("orch-router.service", "ActiveState")).isEqualTo("active");
        assertThat(show("orchd.service", "UnitFileState")).isEqualTo("enabled-runtime");
        assertThat(show("orch-router.service", "UnitFileState")).isEqualTo("enabled-runtime");
        assertThat(show("orchd.service", "WatchdogUSec")).isEqualTo("1min");
        assertThat(Files.readString(configDir.resolve("orchd.properties"))).contains("#orch.reconcile.workers=4", "orch.git.repos.apps.url=file://");
        String socket = stateDir.resolve("orchd.sock").toString();
        assertThat(sh("stat -c '%G %a' " + socket).stdout().strip()).isEqualTo(GROUP + " 660");
        assertThat(sh("stat -c '%G %a' " + configDir.resolve("orchd.properties")).stdout().strip()).isEqualTo(GROUP + " 640");
        String gid = sh("getent group " + GROUP + " | cut -d: -f3").stdout().strip();
        String orchctl = prefix.resolve("bin/orchctl") + " get apps";
        CommandRunner.Result member = sh("setpriv --reuid=65534 --regid=65534 --groups=" + gid + " " + orchctl);
        assertThat(member.exitCode()).as("a member of %s (not root) uses orchctl: %s", GROUP, member).isZero();
        CommandRunner.Result stranger = sh("setpriv --reuid=65534 --regid=65534 --clear-groups " + orchctl);
        assertThat(stranger.exitCode()).as("anyone else may not: %s", stranger).isEqualTo(1);
    }

    void uninstall(Map<String, String> appPids) throws Exception {
        // a unit orch did not write, with a name like orch's: never touched
        Files.writeString(SYSTEMD.path(UNIT_DIR + "/orch-other.service"), "[Service]\nExecStart=/bin/sleep infinity\n");
        SYSTEMD.exec("systemctl", "daemon-reload");
        assertThat(SYSTEMD.exec("systemctl", "start", "orch-other.service").exitCode()).isZero();
        String paths = String.join(" ", installPaths());

        CommandRunner.Result keep = sh("systemd/uninstall " + paths);
        assertThat(keep.exitCode()).as("%s", keep).isZero();
        assertThat(keep.stdout()).contains("app unit(s) keep running");
        assertThat(show("orchd.service", "LoadState")).isEqualTo("not-found");
        assertThat(show("orch-router.service", "LoadState")).isEqualTo("not-found");
        assertThat(prefix).doesNotExist();
        assertThat(appPids("hello")).as("uninstall keeps the apps running by default").isEqualTo(appPids);
        assertThat(stateDir).exists();

        CommandRunner.Result purge = sh("systemd/uninstall --remove-apps --purge " + paths);
        assertThat(purge.exitCode()).as("%s", purge).isZero();
        assertThat(show("orch-hello-blue-0.service", "LoadState")).isEqualTo("not-found");
        assertThat(show("orch-hello-green-0.service", "LoadState")).isEqualTo("not-found");
        assertThat(show("orch-other.service", "ActiveState")).as("only units with orch's marker are removed").isEqualTo("active");
        assertThat(stateDir).doesNotExist();
        assertThat(configDir).doesNotExist();
        assertThat(SYSTEMD.exec("getent", "group", GROUP).exitCode()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(SYSTEMD.path(UNIT_DIR + "/orch-hello-blue-0.service")));
    }
}
