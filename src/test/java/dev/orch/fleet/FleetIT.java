package dev.orch.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.cli.FreePort;
import dev.orch.testing.OrchDist;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three hosts on one machine, each a network namespace with its own orchd (process driver) and state, all pulling one
 * bare repository served by {@code git daemon} from the host namespace. Traffic only between these namespaces.
 */
class FleetIT {
    static final String WEB = """
            apiVersion: orch.dev/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              nodeSelector: {role: web}
              nodeAffinity:
                matchExpressions:
                  - {key: environment, operator: In, values: [prod, staging]}
              route: {port: 18080, bindAddress: 127.0.0.1}
              template:
                command: ["/usr/bin/python3"]
                args: ["$(ARTIFACT)", "--port", "$(PORT)"]
                artifact: {path: %s}
                env:
                  - {name: HELLO_VERSION, value: prod-1}
                readinessProbe:
                  httpGet: {path: /healthz}
                  periodSeconds: 1
                terminationGracePeriodSeconds: 2
              strategy:
                blueGreen: {keepWarmSeconds: 0, bake: {durationSeconds: 0}}
              overrides:
                - nodeSelector: {environment: staging}
                  env:
                    - {name: HELLO_VERSION, value: %s}
            """;
    static final String WORKER = """
            apiVersion: orch.dev/v1
            kind: Deployment
            metadata:
              name: worker
            spec:
              nodeSelector: {role: worker}
              route: {port: 18081, bindAddress: 127.0.0.1}
              template:
                command: ["/usr/bin/python3"]
                args: ["$(ARTIFACT)", "--port", "$(PORT)"]
                artifact: {path: %s}
                env:
                  - {name: HELLO_VERSION, value: worker-1}
                terminationGracePeriodSeconds: 2
            """;

    @TempDir
    Path dir;

    final List<NetnsHost> hosts = new ArrayList<>();
    Process gitDaemon;

    @AfterEach
    void tearDown() throws Exception {
        for (NetnsHost h : hosts) {
            try {
                h.close();
            } catch (Exception | AssertionError e) {
                System.err.println("closing " + h.name + ": " + e);
            }
        }
        if (gitDaemon != null) {
            gitDaemon.destroy();
            gitDaemon.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void eachHostRunsWhatItsLabelsSelectRelabellingMovesAppsAndAStagingPushLeavesProdAlone() throws Exception {
        Path hello = dir.resolve("hello.py");
        Files.copy(Path.of("manifests/hello/hello.py"), hello);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        String prefix = "of" + ThreadLocalRandom.current().nextInt(1000, 9999);
        hosts.add(new NetnsHost("prod-1", prefix, 1, dir.resolve("prod-1")));
        hosts.add(new NetnsHost("prod-2", prefix, 2, dir.resolve("prod-2")));
        hosts.add(new NetnsHost("staging-1", prefix, 3, dir.resolve("staging-1")));
        NetnsHost prod1 = hosts.get(0);
        NetnsHost prod2 = hosts.get(1);
        NetnsHost staging = hosts.get(2);

        // one bare repository, served by git daemon on the host ends of the three veth pairs only
        Path bare = dir.resolve("git/fleet.git");
        Path work = dir.resolve("work");
        git(dir, "init", "-q", "--bare", "-b", "main", bare.toString());
        git(dir, "init", "-q", "-b", "main", work.toString());
        int port = FreePort.find();
        List<String> cmd = new ArrayList<>(List.of("git", "daemon", "--reuseaddr", "--export-all", "--base-path=" + dir.resolve("git"), "--port=" + port));
        hosts.forEach(h -> cmd.add("--listen=" + h.hostSide()));
        cmd.add(dir.resolve("git").toString());
        gitDaemon = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("git-daemon.log").toFile()).start();

        Files.writeString(work.resolve("web.yaml"), WEB.formatted(hello, "staging-1"));
        Files.writeString(work.resolve("worker.yaml"), WORKER.formatted(hello));
        push(work, "web and worker");

        prod1.start("environment=prod,role=web", "git://" + prod1.hostSide() + ":" + port + "/fleet.git");
        prod2.start("environment=prod,role=worker", "git://" + prod2.hostSide() + ":" + port + "/fleet.git");
        staging.start("environment=staging,role=web", "git://" + staging.hostSide() + ":" + port + "/fleet.git");

        // each host runs exactly what it should, with the values of its environment
        awaitApps(prod1, Map.of("web", "prod-1"));
        awaitApps(prod2, Map.of("worker", "worker-1"));
        awaitApps(staging, Map.of("web", "staging-1"));

        // the fleet view: one table, a HOST column, over the three contexts
        Path config = dir.resolve("orch-client.yaml");
        StringBuilder ctx = new StringBuilder("contexts:\n");
        for (NetnsHost h : hosts) {
            ctx.append("- name: ").append(h.name).append("\n  server: http://").append(h.address()).append(":7464\n  token-file: ")
                    .append(h.tokenFile()).append('\n');
        }
        Files.writeString(config, ctx);
        OrchDist cli = OrchDist.packaged().withEnv(Map.of("ORCHCONFIG", config.toString()));
        OrchDist.Result fleet = cli.orchctl("get", "apps", "--all-contexts");
        assertThat(fleet.exitCode()).as("%s", fleet).isZero();
        assertThat(firstColumns(fleet.stdout())).containsExactly("HOST NAME", "prod-1 web", "prod-2 worker", "staging-1 web");
        // an unreachable member (nothing listens on loopback port 1) is named; the others are printed; exit 1
        Files.writeString(config, ctx + "- name: down\n  server: http://127.0.0.1:1\n  token-file: " + prod1.tokenFile() + "\n");
        OrchDist.Result partial = cli.orchctl("get", "apps", "--context", "prod-1,down");
        assertThat(partial.exitCode()).as("%s", partial).isEqualTo(1);
        assertThat(firstColumns(partial.stdout())).containsExactly("HOST NAME", "prod-1 web");
        assertThat(partial.stderr()).startsWith("context down: ");
        OrchDist.Result some = cli.orchctl("get", "apps", "--context", "staging-1,prod-2");
        assertThat(firstColumns(some.stdout())).as("%s", some).containsExactly("HOST NAME", "staging-1 web", "prod-2 worker");

        // get host and get placement say who each host is and why it runs an app or not
        assertThat(cli.orchctl("--context", "prod-2", "get", "host").stdout()).containsPattern("(?m)^prod-2 +\\S+ +environment=prod,role=worker$");
        String placement = cli.orchctl("--context", "prod-2", "get", "placement").stdout();
        assertThat(placement).containsPattern("(?m)^web +fleet +web\\.yaml +no +nodeSelector role=web does not match: this host has role=worker$");
        assertThat(placement).containsPattern("(?m)^worker +fleet +worker\\.yaml +yes +nodeSelector role=worker matches$");
        // each orchd's metrics carry its host: the info series to join on
        assertThat(scrape(staging)).containsPattern("(?m)^orch_host_info\\{host=\"staging-1\",label_environment=\"staging\",label_role=\"web\",machine_id=\"[^\"]*\"} 1\\.0$");

        // relabelling a host moves the apps: prod-2 becomes a web host (worker removed, web started)
        prod2.stop();
        prod2.start("environment=prod,role=web", "git://" + prod2.hostSide() + ":" + port + "/fleet.git");
        awaitApps(prod2, Map.of("web", "prod-1"));
        assertThat(prod2.log()).contains("git fleet: worker is no longer placed on this host (nodeSelector role=worker does not match:"
                + " this host has role=web)");

        // an apply by hand of an app this host does not match is refused, naming why
        Path worker = dir.resolve("worker.yaml");
        Files.writeString(worker, WORKER.formatted(hello));
        OrchDist.Result refused = cli.orchctl("--context", "prod-2", "apply", "-f", worker.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.stderr()).contains("orchd answered 422: app \"worker\" is not placed on this host: nodeSelector role=worker does not match:"
                + " this host has role=web; nothing was applied");

        // a push that changes only staging's values changes nothing on the prod hosts: same PIDs
        Map<String, List<Long>> prod1Before = prod1.appPids();
        Map<String, List<Long>> prod2Before = prod2.appPids();
        Map<String, List<Long>> stagingBefore = staging.appPids();
        String prod1Audit = cli.orchctl("--context", "prod-1", "audit", "--app", "web").stdout();
        String prod2Audit = cli.orchctl("--context", "prod-2", "audit", "--app", "web").stdout();
        Files.writeString(work.resolve("web.yaml"), WEB.formatted(hello, "staging-2"));
        push(work, "staging: web staging-2");
        for (NetnsHost h : hosts) {
            assertThat(cli.orchctl("--context", h.name, "sync").exitCode()).isZero();
        }
        awaitApps(staging, Map.of("web", "staging-2"));
        Map<String, List<Long>> stagingAfter = staging.appPids();
        assertThat(stagingAfter.keySet()).isEqualTo(stagingBefore.keySet());
        assertThat(stagingAfter.get("web")).hasSize(1).doesNotContainAnyElementsOf(stagingBefore.get("web")); // restarted in the other color
        assertThat(prod1.appPids()).isEqualTo(prod1Before);
        assertThat(prod2.appPids()).isEqualTo(prod2Before);
        // nor their desired state: no new generation, so no audit entry
        assertThat(cli.orchctl("--context", "prod-1", "audit", "--app", "web").stdout()).isEqualTo(prod1Audit).contains("apply");
        assertThat(cli.orchctl("--context", "prod-2", "audit", "--app", "web").stdout()).isEqualTo(prod2Audit).contains("apply");
        assertThat(cli.orchctl("--context", "staging-1", "audit", "--app", "web").stdout().lines().filter(l -> l.contains("generation=")).count())
                .isEqualTo(2);
    }

    /** Waits until exactly these apps run in the namespace (ready processes of one color), each with its HELLO_VERSION. */
    static void awaitApps(NetnsHost h, Map<String, String> versions) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<String, List<Long>> apps = h.appPids();
            assertThat(apps.keySet()).as("apps on %s", h.name).isEqualTo(versions.keySet());
            for (var e : apps.entrySet()) {
                assertThat(e.getValue()).as("%s on %s: one process (the old color stopped)", e.getKey(), h.name).hasSize(1);
                assertThat(NetnsHost.environ(e.getValue().get(0)).get("HELLO_VERSION")).isEqualTo(versions.get(e.getKey()));
            }
        });
    }

    static List<String> firstColumns(String table) {
        List<String> out = new ArrayList<>();
        for (String l : table.split("\n")) {
            String[] c = l.strip().split(" +");
            out.add(c[0] + " " + c[1]);
        }
        return out;
    }

    static String scrape(NetnsHost h) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + h.address() + ":9464/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static void push(Path work, String message) {
        git(work, "add", "-A");
        git(work, "-c", "user.name=Dev Eloper", "-c", "user.email=dev@example.com", "commit", "-q", "-m", message);
        git(work, "push", "-q", work.getParent().resolve("git/fleet.git").toString(), "main");
    }

    static void git(Path cwd, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", cwd.toString()));
        cmd.addAll(List.of(args));
        NetnsHost.sh(cmd.toArray(String[]::new));
    }
}
