package dev.orch.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.testing.HttpLoad;
import dev.orch.testing.OrchDist;
import dev.orch.testing.OrchdOnSystemd;
import dev.orch.testing.SystemdNamespace;
import dev.orch.testing.UserManager;
import dev.orch.testing.WebApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * orchd as an unprivileged user driving its own units in the user's systemd manager ({@code orch.systemd.scope=user},
 * nothing else configured): the packaged orchd runs as uid {@value UserManager#UID} inside the namespace, talks
 * D-Bus to {@code $XDG_RUNTIME_DIR/systemd/private}, writes units to {@code ~/.config/systemd/user}, and rolls out
 * blue/green there with no failed request.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UserScopeIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();

    static UserManager user;
    static OrchDist dist;
    static WebApp web;
    static Process orchd;
    static Path log;

    @BeforeAll
    static void startOrchdAsTheUser() throws Exception {
        user = new UserManager(SYSTEMD);
        Path state = Files.createDirectory(user.home().resolve("orch-state"));
        UserManager.chown(state);
        dist = OrchDist.packaged().withEnv(Map.of("ORCH_STATE_DIR", state.toString()));
        web = new WebApp(user.dir());
        log = user.dir().resolve("orchd.log");
        orchd = user.spawn(List.of(dist.home().resolve("bin/orchd").toString()), Map.of(
                "ORCH_SYSTEMD_SCOPE", "user",
                "ORCH_STATE_DIR", state.toString(),
                // drift must be seen through the user manager's change signals, not a poll
                "ORCH_RECONCILE_UNIT_POLL", "1h",
                "ORCH_JAVA_OPTS", "-Dquarkus.management.port=" + OrchdOnSystemd.freePort()), log);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(state.resolve("orchd.sock"))) {
            if (!orchd.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("orchd did not start as " + UserManager.NAME + ":\n" + logs());
            }
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (user != null) {
            user.close();
        }
    }

    static String logs() {
        try {
            return Files.readString(log) + "\n---- user journal ----\n" + user.journal();
        } catch (IOException e) {
            return e.toString();
        }
    }

    static void applyAndWait(Path manifest) {
        OrchDist.Result apply = dist.orchctl("apply", "-f", manifest.toString());
        assertThat(apply.exitCode()).as("%s%n%s", apply, logs()).isZero();
        OrchDist.Result status = dist.orchctl("rollout", "status", "web", "--timeout", "50s");
        assertThat(status.exitCode()).as("%s%n%s", status, logs()).isZero();
    }

    static Path userUnit(String unit) {
        return user.home().resolve(".config/systemd/user").resolve(unit);
    }

    @Test
    @Order(1)
    void rollsOutBlueGreenInTheUserManagerAsTheUser() throws Exception {
        String javaPid = orchd.descendants().filter(p -> p.info().command().orElse("").endsWith("/java"))
                .findFirst().orElseThrow().pid() + "";
        assertThat(Files.readAllLines(Path.of("/proc", javaPid, "status"))).as("orchd's JVM runs as the user")
                .anyMatch(l -> l.matches("Uid:\\s+" + UserManager.UID + "\\s.*"));
        assertThat(Files.readString(log)).contains("systemd driver: D-Bus on /run/user/" + UserManager.UID + "/systemd/private");

        applyAndWait(web.manifest("v1", WebApp.READY_ON_HEALTHZ, 60));
        assertThat(web.get()).contains("\"version\": \"v1\"", "\"color\": \"blue\"");
        assertThat(userUnit("orch-web-blue-0.service")).exists();
        assertThat(user.home().resolve(".config/orch/env/orch-web-blue-0.env")).exists();
        assertThat(user.unitProperty("orch-web-blue-0.service", "ActiveState")).isEqualTo("active");
        long mainPid = Long.parseLong(user.unitProperty("orch-web-blue-0.service", "MainPID"));
        assertThat(user.uidOf(mainPid)).as("the app runs as the user").isEqualTo(UserManager.UID);

        try (HttpLoad load = new HttpLoad(web.uri(), 4)) {
            applyAndWait(web.manifest("v2", WebApp.READY_ON_HEALTHZ, 60));
            await().atMost(Duration.ofSeconds(5)).until(() -> web.get().contains("\"version\": \"v2\""));
            assertThat(web.get()).contains("\"color\": \"green\"");
            assertThat(load.failures()).as("failed requests during the rollout").isEmpty();
            assertThat(load.ok()).isGreaterThan(20);
        }
        assertThat(userUnit("orch-web-green-0.service")).exists();
        assertThat(user.systemctl("is-active", "orch-web-green-0.service").stdout().strip()).isEqualTo("active");
        assertThat(SYSTEMD.exec("systemctl", "list-units", "--all", "--no-legend", "orch-web-*").stdout())
                .as("nothing of orch's in the system manager").isBlank();
    }

    @Test
    @Order(2)
    void aLiveUnitStoppedByHandThroughTheUserManagerRunsAgain() throws Exception {
        String live = web.get().contains("\"color\": \"green\"") ? "green" : "blue";
        String unit = "orch-web-" + live + "-0.service";
        assertThat(user.systemctl("stop", unit).exitCode()).isZero();
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(15)).until(() -> user.unitProperty(unit, "ActiveState").equals("active"));
        System.out.printf("user unit stopped by hand: running again after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        await().atMost(Duration.ofSeconds(15)).until(() -> web.get().contains("\"color\": \"" + live + "\""));
    }
}
