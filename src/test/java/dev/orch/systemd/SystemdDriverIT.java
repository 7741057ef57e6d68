package dev.orch.systemd;

import static dev.orch.systemd.Specs.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.manifest.EnvVar;
import dev.orch.manifest.Template;
import dev.orch.state.Color;
import dev.orch.testing.SystemdNamespace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The systemd driver against a real systemd 252 booted in a private namespace. */
class SystemdDriverIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();

    static final String PY_SLEEP = "import time\ntime.sleep(600)";

    @Test
    void hostileArgvAndEnvReachTheProcessExactly() throws IOException {
        SystemdDriver d = SYSTEMD.driver();
        List<String> args = new ArrayList<>(List.of("-c", PY_SLEEP.replace("\n", "; ")));
        args.addAll(HOSTILE);
        Template t = Specs.withEnv(Specs.template(List.of("/usr/bin/python3"), args), List.of(
                new EnvVar("GREETING", "hello $HOME ${PORT} \"q\" 'q' `id` \\ %n 100% ✓"),
                new EnvVar("URL", "http://127.0.0.1:$(PORT)/x")));
        ServiceSpec spec = Specs.spec("hostile", Color.BLUE, 0, 18081, t);

        InstallResult r = d.install(List.of(spec));
        assertThat(r.changed()).containsExactly(spec.id());
        assertThat(r.reloaded()).isTrue();
        assertThat(Files.getPosixFilePermissions(d.envPath(spec.id()))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(d.unitPath(spec.id()))).doesNotContain("hello"); // env values stay out of the unit

        d.start(spec.id());
        InstanceStatus s = d.status(spec.id());
        assertThat(s.activeState()).isEqualTo(ActiveState.ACTIVE);
        assertThat(s.subState()).isEqualTo("running");
        assertThat(s.mainPid()).isPositive();
        assertThat(s.since()).isNotNull();

        List<String> expected = new ArrayList<>(List.of("/usr/bin/python3", "-c", PY_SLEEP.replace("\n", "; ")));
        for (String h : HOSTILE) {
            expected.add(switch (h) {
                case "--flag=$(PORT)" -> "--flag=18081";
                case "$$(PORT)" -> "$(PORT)";
                case "$$HOME" -> "$HOME";
                default -> h;
            });
        }
        assertThat(cmdline(s.mainPid())).containsExactlyElementsOf(expected);
        List<String> environ = nulSeparated(SYSTEMD.path("/proc/" + s.mainPid() + "/environ"));
        assertThat(environ).contains(
                "PORT=18081",
                "GREETING=hello $HOME ${PORT} \"q\" 'q' `id` \\ %n 100% ✓",
                "URL=http://127.0.0.1:18081/x");

        d.stop(spec.id());
        assertThat(d.status(spec.id()).activeState()).isEqualTo(ActiveState.INACTIVE);
        d.remove(List.of(spec.id()));
        assertThat(Files.exists(d.unitPath(spec.id()))).isFalse();
        assertThat(Files.exists(d.envPath(spec.id()))).isFalse();
        assertThat(d.list()).extracting(InstalledInstance::id).doesNotContain(spec.id());
        assertThat(d.status(spec.id()).installed()).isFalse();
    }

    /** An abort stops a color whose units were never written: that is success, or the abort is retried forever. */
    @Test
    void stoppingOrRemovingAUnitThatWasNeverInstalledSucceeds() {
        SystemdDriver d = SYSTEMD.driver();
        InstanceId never = new InstanceId("never", Color.GREEN, 0);
        d.stop(never);
        d.remove(List.of(never));
        assertThat(d.status(never).installed()).isFalse();
        assertThat(Files.exists(d.unitPath(never))).isFalse();
    }

    @Test
    void crashingServiceShowsRestartCountAndExitStatus() {
        SystemdDriver d = SYSTEMD.driver();
        // a shell only in this fixture: the crashing program
        ServiceSpec spec = Specs.spec("crashy", Color.GREEN, 0, 18082, Specs.template(List.of("/bin/sh"), List.of("-c", "exit 3")));
        d.install(List.of(spec));
        d.start(spec.id());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            InstanceStatus s = d.status(spec.id());
            assertThat(s.restarts()).isGreaterThanOrEqualTo(2);
            assertThat(s.exitCode()).isEqualTo("exited");
            assertThat(s.exitStatus()).isEqualTo(3);
        });
        d.remove(List.of(spec.id()));
    }

    @Test
    void installIsBatchedIdempotentAndRepairsHandEdits() throws IOException {
        SystemdDriver d = SYSTEMD.driver();
        Template t = Specs.template(List.of("/bin/sleep"), List.of("600"));
        List<ServiceSpec> specs = List.of(
                Specs.spec("batch", Color.BLUE, 0, 18090, t),
                Specs.spec("batch", Color.BLUE, 1, 18091, t),
                Specs.spec("batch", Color.BLUE, 2, 18092, t));
        InstallResult first = d.install(specs);
        assertThat(first.changed()).hasSize(3);
        assertThat(first.reloaded()).isTrue();
        String loaded = SYSTEMD.exec("systemctl", "show", "-p", "LoadState", "--value", "orch-batch-blue-2.service").stdout().strip();
        assertThat(loaded).isEqualTo("loaded");

        InstallResult again = d.install(specs);
        assertThat(again.changed()).isEmpty();
        assertThat(again.reloaded()).isFalse();

        Path unit = d.unitPath(specs.get(1).id());
        assertThat(d.isCurrent(specs.get(1))).isTrue();
        Files.writeString(unit, Files.readString(unit).replace("RestartSec=2s", "RestartSec=100ms"));
        assertThat(d.isCurrent(specs.get(1))).as("hand edit detected").isFalse();
        assertThat(d.isCurrent(specs.get(0))).isTrue();
        InstallResult repaired = d.install(specs);
        assertThat(repaired.changed()).containsExactly(specs.get(1).id());
        assertThat(repaired.reloaded()).isTrue();
        assertThat(Files.readString(unit)).contains("RestartSec=2s");
        assertThat(d.isCurrent(specs.get(1))).isTrue();

        // a unit following orch's naming but without its marker is someone else's: never listed, never removed
        Path foreign = unit.resolveSibling("orch-foreign-blue-0.service");
        Files.writeString(foreign, "[Unit]\nDescription=not orch's\n[Service]\nExecStart=/bin/sleep 600\n");
        assertThat(d.list()).extracting(i -> i.id().unitName())
                .contains("orch-batch-blue-0.service", "orch-batch-blue-1.service", "orch-batch-blue-2.service")
                .doesNotContain("orch-foreign-blue-0.service");
        assertThat(d.list()).filteredOn(i -> i.id().app().equals("batch"))
                .allSatisfy(i -> {
                    assertThat(i.revision()).isEqualTo(Specs.REVISION);
                    assertThat(i.source()).isEqualTo(Specs.SOURCE);
                });
        d.remove(List.of(specs.get(0).id(), specs.get(1).id(), specs.get(2).id(),
                new InstanceId("foreign", Color.BLUE, 0)));
        assertThat(Files.exists(foreign)).isTrue();
        assertThat(d.list()).filteredOn(i -> i.id().app().equals("batch")).isEmpty();
        Files.delete(foreign);
    }

    @Test
    void watchReportsStateChanges() {
        SystemdDriver d = SYSTEMD.driver();
        ServiceSpec spec = Specs.spec("watched", Color.BLUE, 0, 18093, Specs.template(List.of("/bin/sleep"), List.of("600")));
        d.install(List.of(spec));
        List<InstanceEvent> events = new CopyOnWriteArrayList<>();
        try (ServiceDriver.Subscription sub = d.watch(events::add, Duration.ofMillis(200))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e -> e.id().equals(spec.id())));
            d.start(spec.id());
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e -> e.id().equals(spec.id())
                    && e.current() != null && e.current().activeState() == ActiveState.ACTIVE));
            SYSTEMD.exec("systemctl", "kill", "--signal=SIGKILL", spec.id().unitName());
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e -> e.id().equals(spec.id())
                    && e.current() != null && e.current().restarts() >= 1));
        }
        d.remove(List.of(spec.id()));
    }

    private List<String> cmdline(long pid) throws IOException {
        return nulSeparated(SYSTEMD.path("/proc/" + pid + "/cmdline"));
    }

    private static List<String> nulSeparated(Path p) throws IOException {
        String s = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        if (s.endsWith("\0")) {
            s = s.substring(0, s.length() - 1);
        }
        return Arrays.asList(s.split("\0", -1));
    }
}
