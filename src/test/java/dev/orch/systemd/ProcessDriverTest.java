package dev.orch.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.orch.manifest.EnvVar;
import dev.orch.state.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessDriverTest {
    static final String PY = "/usr/bin/python3";
    @TempDir
    Path state;
    ProcessDriver driver;

    @BeforeEach
    void setUp() {
        driver = new ProcessDriver(new ProcessDriverConfig(state, Duration.ofMillis(100), Duration.ofSeconds(1)));
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    @Test
    void startsWithExactArgvEnvWorkingDirAndLogs() throws IOException {
        List<String> args = new ArrayList<>(List.of("-c", "import sys, time; print('hello from', sys.argv[1:3], flush=True); time.sleep(600)"));
        args.addAll(Specs.HOSTILE);
        var t = Specs.withWorkingDir(Specs.withEnv(Specs.template(List.of(PY), args),
                List.of(new EnvVar("GREETING", "hi $HOME `x`"), new EnvVar("URL", "http://h:$(PORT)/"))), state.toString());
        ServiceSpec spec = Specs.spec("proc", Color.BLUE, 0, 19001, t);
        assertThat(driver.isCurrent(spec)).isFalse();
        assertThat(driver.install(List.of(spec)).changed()).containsExactly(spec.id());
        assertThat(driver.install(List.of(spec)).unchanged()).containsExactly(spec.id());
        assertThat(driver.isCurrent(spec)).isTrue();
        assertThat(driver.isCurrent(Specs.spec("proc", Color.BLUE, 0, 19002, t))).as("another port").isFalse();
        driver.start(spec.id());

        InstanceStatus s = driver.status(spec.id());
        assertThat(s.activeState()).isEqualTo(ActiveState.ACTIVE);
        assertThat(s.mainPid()).isPositive();
        // the supervisor execs through setpriv (parent-death signal): wait for that exec to happen
        Path cmdline = Path.of("/proc", Long.toString(s.mainPid()), "cmdline");
        await().atMost(Duration.ofSeconds(10)).until(() -> nul(cmdline).equals(LaunchPlan.of(spec).argv()));
        assertThat(LaunchPlan.of(spec).argv()).contains("--flag=19001", "$(PORT)", "$HOME");
        List<String> env = nul(Path.of("/proc", Long.toString(s.mainPid()), "environ"));
        assertThat(env).contains("PORT=19001", "GREETING=hi $HOME `x`", "URL=http://h:19001/", "PATH=" + ProcessDriver.DEFAULT_PATH)
                .noneMatch(e -> e.startsWith("JAVA_HOME=") || e.startsWith("MAVEN"));
        assertThat(env).as("docs/systemd.md: STATE_DIRECTORY=<stateDir>/apps/<app>").contains("STATE_DIRECTORY=" + state.resolve("apps/proc"));
        assertThat(Path.of("/proc", Long.toString(s.mainPid()), "cwd").toRealPath()).isEqualTo(state.toRealPath());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(driver.stdoutLog(spec.id()))
                && Files.readString(driver.stdoutLog(spec.id())).contains("hello from ['with space'"));
        assertThat(driver.list()).extracting(InstalledInstance::id).containsExactly(spec.id());
        driver.remove(List.of(spec.id()));
        assertThat(driver.list()).isEmpty();
        assertThat(ProcessHandle.of(s.mainPid())).isEmpty();
    }

    @Test
    void crashIsRestartedWithBackoffAndCounted() throws IOException {
        ServiceSpec spec = Specs.spec("crash", Color.GREEN, 0, 19002,
                Specs.template(List.of("/bin/sh"), List.of("-c", "echo boom >&2; exit 3")));
        driver.install(List.of(spec));
        List<InstanceEvent> events = new CopyOnWriteArrayList<>();
        driver.watch(events::add, Duration.ofSeconds(1));
        driver.start(spec.id());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            InstanceStatus s = driver.status(spec.id());
            assertThat(s.restarts()).isGreaterThanOrEqualTo(3);
            assertThat(s.exitCode()).isEqualTo("exited");
            assertThat(s.exitStatus()).isEqualTo(3);
        });
        assertThat(events).anyMatch(e -> e.current().subState().equals("auto-restart"));
        assertThat(Files.readString(driver.stderrLog(spec.id()))).contains("boom");
        driver.stop(spec.id());
        assertThat(driver.status(spec.id()).activeState()).isEqualTo(ActiveState.INACTIVE);
    }

    @Test
    void stopSendsSigtermAndAGracefulExitIsNotRestarted() {
        ServiceSpec spec = Specs.spec("graceful", Color.BLUE, 0, 19003, Specs.template(List.of("/bin/sleep"), List.of("600")));
        driver.install(List.of(spec));
        driver.start(spec.id());
        long pid = driver.status(spec.id()).mainPid();
        driver.stop(spec.id());
        InstanceStatus s = driver.status(spec.id());
        assertThat(s.activeState()).isEqualTo(ActiveState.INACTIVE);
        assertThat(s.exitCode()).isEqualTo("exited");
        assertThat(s.exitStatus()).isEqualTo(143); // killed by SIGTERM, as Java reports it
        assertThat(s.restarts()).isZero();
        assertThat(ProcessHandle.of(pid)).isEmpty();
    }

    @Test
    void processIgnoringSigtermIsKilledAfterTheGracePeriod() throws IOException {
        Path ready = state.resolve("ready");
        ServiceSpec spec = Specs.spec("stubborn", Color.BLUE, 0, 19004, Specs.withGrace(Specs.template(List.of(PY), List.of("-c",
                "import signal, time, pathlib; signal.signal(signal.SIGTERM, signal.SIG_IGN); pathlib.Path('" + ready + "').touch(); time.sleep(600)")), 1));
        driver.install(List.of(spec));
        driver.start(spec.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(ready));
        long pid = driver.status(spec.id()).mainPid();
        driver.stop(spec.id());
        InstanceStatus s = driver.status(spec.id());
        assertThat(s.exitCode()).isEqualTo("killed");
        assertThat(s.activeState()).isEqualTo(ActiveState.INACTIVE);
        assertThat(ProcessHandle.of(pid)).isEmpty();
    }

    @Test
    void unknownInstancesAreRefused() {
        assertThatThrownBy(() -> driver.start(new InstanceId("nope", Color.BLUE, 0))).isInstanceOf(DriverException.class);
        assertThat(driver.status(new InstanceId("nope", Color.BLUE, 0)).installed()).isFalse();
    }

    @Test
    void stoppingOrRemovingWhatWasNeverInstalledSucceeds() {
        InstanceId never = new InstanceId("nope", Color.GREEN, 1);
        driver.stop(never);
        driver.remove(List.of(never));
        assertThat(driver.status(never).installed()).isFalse();
        assertThat(driver.list()).isEmpty();
    }

    private static List<String> nul(Path p) throws IOException {
        String s = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        return Arrays.asList(s.substring(0, s.length() - 1).split("\0", -1));
    }
}
