package dev.orch.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.state.Color;
import dev.orch.testing.SystemdNamespace;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The D-Bus transport on its own: jobs awaited, change signals without a poll, the same answers as systemctl. */
class DbusManagerIT {
    @RegisterExtension
    static final SystemdNamespace SYSTEMD = new SystemdNamespace();

    private static ServiceSpec sleeper(String app) {
        return Specs.spec(app, Color.BLUE, 0, 18091, Specs.template(List.of("/usr/bin/python3"), List.of("-c", "import time; time.sleep(600)")));
    }

    @Test
    void orchdPicksDbusWhenThePrivateSocketAnswersAndSystemctlOtherwise() {
        SystemdConfig config = SYSTEMD.driver().config();
        try (SystemdDriver d = SystemdDriver.connect(config, SYSTEMD.privateSocket())) {
            assertThat(d.transport()).isEqualTo("dbus");
            assertThat(d.list()).isNotNull();
        }
        try (SystemdDriver d = SystemdDriver.connect(config, java.nio.file.Path.of("/nonexistent/systemd/private"))) {
            assertThat(d.transport()).isEqualTo("systemctl");
        }
    }

    @Test
    void aCrashIsReportedBySignalWithNoPollAndStartReturnsWhenTheJobIsDone() throws Exception {
        SystemdDriver d = SYSTEMD.driver();
        assertThat(d.transport()).isEqualTo("dbus");
        ServiceSpec spec = sleeper("signals");
        d.install(List.of(spec));
        d.start(spec.id());
        InstanceStatus running = d.status(spec.id()); // the start job is done: no waiting needed
        assertThat(running.activeState()).isEqualTo(ActiveState.ACTIVE);
        assertThat(running.mainPid()).isPositive();
        // the same answer as systemctl gives
        InstanceStatus viaSystemctl = SYSTEMD.systemctlDriver().status(spec.id());
        assertThat(viaSystemctl.mainPid()).isEqualTo(running.mainPid());
        assertThat(viaSystemctl.activeState()).isEqualTo(running.activeState());
        assertThat(viaSystemctl.subState()).isEqualTo(running.subState());
        assertThat(viaSystemctl.since()).isEqualTo(running.since());

        List<InstanceEvent> events = new CopyOnWriteArrayList<>();
        try (ServiceDriver.Subscription s = d.watch(events::add, Duration.ofHours(1))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e -> e.id().equals(spec.id()))); // the first poll
            events.clear();
            long killedAt = System.nanoTime();
            assertThat(SYSTEMD.exec("kill", "-9", Long.toString(running.mainPid())).ok()).isTrue();
            // with a poll interval of an hour, only the manager's signal can bring this event
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
                    .until(() -> events.stream().anyMatch(e -> e.id().equals(spec.id()) && e.current() != null && e.current().mainPid() != running.mainPid()));
            System.out.printf("crash seen by signal after %.0f ms%n", (System.nanoTime() - killedAt) / 1e6);
        }
        d.stop(spec.id());
        assertThat(d.status(spec.id()).activeState()).isEqualTo(ActiveState.INACTIVE);
        d.remove(List.of(spec.id()));
        assertThat(d.status(spec.id()).installed()).isFalse();
        d.stop(spec.id()); // not loaded: stopped already
    }

    @Test
    void newUnitsStartWithoutAReloadAndAChangedLoadedOneGetsOneSharedByTheBurst() throws Exception {
        SystemdDriver d = SYSTEMD.driver();
        List<ServiceSpec> burst = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            burst.add(Specs.spec("burst" + i, Color.BLUE, 0, 18100 + i, Specs.template(List.of("/usr/bin/python3"), List.of("-c", "import time; time.sleep(600)"))));
        }
        long before = d.reloadCount();
        // 8 apps installed at once, as 8 reconcile workers would: new units need no reload at all
        List<Thread> installs = burst.stream().map(sp -> Thread.ofPlatform().start(() -> d.install(List.of(sp)))).toList();
        for (Thread t : installs) {
            t.join();
        }
        assertThat(d.reloadCount()).isEqualTo(before);
        for (ServiceSpec sp : burst) {
            d.start(sp.id()); // the manager reads the new file on its first start
            assertThat(d.status(sp.id()).activeState()).isEqualTo(ActiveState.ACTIVE);
        }
        // now loaded: a changed definition needs a reload, and concurrent changes share them
        List<ServiceSpec> changed = burst.stream().map(sp -> Specs.spec(sp.id().app(), Color.BLUE, 0, sp.port() + 100,
                Specs.template(List.of("/usr/bin/python3"), List.of("-c", "import time; time.sleep(601)")))).toList();
        List<Thread> updates = changed.stream().map(sp -> Thread.ofPlatform().start(() -> d.install(List.of(sp)))).toList();
        for (Thread t : updates) {
            t.join();
        }
        long reloads = d.reloadCount() - before;
        System.out.printf("8 changed loaded units, installed at once: %d reloads%n", reloads);
        assertThat(reloads).isBetween(1L, 8L);
        assertThat(SYSTEMD.exec("systemctl", "show", "-p", "NeedDaemonReload", "--value", changed.get(0).id().unitName()).stdout().strip()).isEqualTo("no");
        d.restart(changed.get(0).id());
        assertThat(SYSTEMD.exec("systemctl", "show", "-p", "ExecStart", "--value", changed.get(0).id().unitName()).stdout()).contains("sleep(601)");
        d.remove(burst.stream().map(ServiceSpec::id).toList());
    }

    @Test
    void aStartJobThatFailsThrowsWithTheUnitsName() {
        SystemdDriver d = SYSTEMD.driver();
        ServiceSpec spec = Specs.spec("nostart", Color.BLUE, 0, 18092, Specs.template(List.of("/nonexistent/binary"), List.of()));
        d.install(List.of(spec));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.start(spec.id()))
                .isInstanceOf(DriverException.class).hasMessageContaining(spec.id().unitName());
        d.remove(List.of(spec.id()));
    }

    @Test
    void unitNamesComeBackFromTheirObjectPaths() {
        assertThat(DbusManager.unitName("/org/freedesktop/systemd1/unit/orch_2dweb_2dblue_2d0_2eservice")).isEqualTo("orch-web-blue-0.service");
    }
}
