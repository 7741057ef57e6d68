package dev.orch.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orch.manifest.DeploymentSpec;
import dev.orch.manifest.EnvVar;
import dev.orch.manifest.Hardening;
import dev.orch.manifest.Rules;
import dev.orch.state.Color;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RendererTest {
    final UnitRenderer renderer = new UnitRenderer(GoldenCases.SYSTEM);

    @Test
    void everyFileStartsWithTheHeaderAndCarriesTheMarkers() {
        for (GoldenCases.Case c : GoldenCases.all()) {
            RenderedUnit r = new UnitRenderer(c.options()).render(c.spec());
            assertThat(r.unitText()).startsWith("# " + UnitRenderer.HEADER_1 + "\n");
            assertThat(r.envText()).startsWith("# " + UnitRenderer.HEADER_1 + "\n");
            Optional<InstalledInstance> m = Markers.read(r.unitName(), r.unitText());
            assertThat(m).contains(new InstalledInstance(c.spec().id(), c.spec().revision(), c.spec().source(), c.spec().port()));
        }
    }

    @Test
    void markersMustMatchTheFileNameAndBePresent() {
        RenderedUnit r = renderer.render(Specs.spec("web", Color.BLUE, 0, 9000, Specs.template(List.of("/bin/sleep"), List.of("1"))));
        assertThat(Markers.read("orch-web-green-0.service", r.unitText())).isEmpty();
        assertThat(Markers.read(r.unitName(), r.unitText().replace("X-Orch-App=web\n", ""))).isEmpty();
        assertThat(Markers.read("other.service", r.unitText())).isEmpty();
    }

    @Test
    void secretsStayOutOfTheUnitAndPortReachesEnvAndArgs() {
        var t = Specs.withEnv(Specs.template(List.of("/bin/app"), List.of("--port", "$(PORT)")),
                List.of(new EnvVar("TOKEN", "hunter2")));
        RenderedUnit r = renderer.render(Specs.spec("web", Color.BLUE, 0, 9000, t));
        assertThat(r.unitText()).doesNotContain("hunter2").contains("ExecStart=\"/bin/app\" \"--port\" \"9000\"");
        assertThat(r.envText()).contains("TOKEN=\"hunter2\"\n").contains("PORT=\"9000\"\n");
    }

    @Test
    void userScopeOmitsWhatAUserManagerCannotApplyAndStillChecksIt() {
        var t = Specs.withHardening(Specs.template(List.of("/bin/sleep"), List.of("1")),
                new Hardening(true, "strict", "true", true, true, true, true, true, true, true, List.of("/srv/data")));
        String system = renderer.render(Specs.spec("web", Color.BLUE, 0, 9000, t)).unitText();
        String user = new UnitRenderer(GoldenCases.USER).render(Specs.spec("web", Color.BLUE, 0, 9000, t)).unitText();
        for (String key : UnitRenderer.SYSTEM_ONLY) {
            assertThat(system).as("system scope renders %s", key).containsPattern("(?m)^" + key + "=");
            assertThat(user).as("user scope omits %s", key).doesNotContainPattern("(?m)^" + key + "=");
        }
        // what works unprivileged stays
        assertThat(user).contains("NoNewPrivileges=yes\n", "RestrictSUIDSGID=yes\n", "SystemCallFilter=~@privileged\n", "UMask=0077\n");
        var bad = Specs.withHardening(Specs.template(List.of("/bin/sleep"), List.of("1")),
                new Hardening(true, "everything", "true", true, true, true, true, true, true, true, List.of()));
        assertThatThrownBy(() -> new UnitRenderer(GoldenCases.USER).render(Specs.spec("web", Color.BLUE, 0, 9000, bad)))
                .hasMessageContaining("hardening.protectSystem must be one of");
    }

    @Test
    void noUserMeansDynamicUserWithAValidExplicitName() {
        RenderedUnit r = renderer.render(Specs.spec("web", Color.BLUE, 0, 9000, Specs.template(List.of("/bin/sleep"), List.of("1"))));
        assertThat(r.unitText()).contains("DynamicUser=yes\nUser=orch-web\n");
        String longest = "a".repeat(Rules.MAX_APP_NAME_LENGTH);
        assertThat(UnitRenderer.dynamicUserName(longest)).isEqualTo("orch-" + longest).hasSize(31).matches("[a-z_][a-z0-9_-]*");
        // no shortening with a hash for names longer than a manifest allows: they are refused
        assertThatThrownBy(() -> UnitRenderer.dynamicUserName(longest + "a")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void limitsGraceAndHardeningOverridesAreRendered() {
        assertThat(UnitRenderer.cpuQuota(500)).isEqualTo("50%");
        assertThat(UnitRenderer.cpuQuota(1555)).isEqualTo("155.5%");
        assertThat(UnitRenderer.cpuQuota(2000)).isEqualTo("200%");
        var relaxed = new Hardening(true, "false", "false", false, false, false, false, false, false, false, List.of());
        RenderedUnit r = renderer.render(Specs.spec("web", Color.BLUE, 0, 9000,
                Specs.withGrace(Specs.withHardening(Specs.template(List.of("/bin/sleep"), List.of("1")), relaxed), 7)));
        assertThat(r.unitText()).contains("TimeoutStopSec=7s", "ProtectSystem=false", "ProtectHome=false", "PrivateTmp=no",
                "PrivateDevices=no", "SuccessExitStatus=143", "Restart=on-failure", "RestartSec=2s");
    }

    @Test
    void unsafeInputsAreRejected() {
        var sleep = Specs.template(List.of("/bin/sleep"), List.of("1"));
        assertThatThrownBy(() -> renderer.render(Specs.spec("web", Color.BLUE, 0, 9000, Specs.template(List.of("sleep"), List.of()))))
                .hasMessageContaining("absolute path");
        assertThatThrownBy(() -> renderer.render(Specs.spec("web", Color.BLUE, 0, 9000, Specs.withWorkingDir(sleep, "/srv/../etc"))))
                .hasMessageContaining("..");
        assertThatThrownBy(() -> renderer.render(Specs.spec("web", Color.BLUE, 0, 9000, Specs.withUser(sleep, "root\nX=1"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> renderer.render(Specs.spec("web", Color.BLUE, 0, 9000,
                Specs.withEnv(sleep, List.of(new EnvVar("BAD NAME", "x")))))).hasMessageContaining("BAD NAME");
        assertThatThrownBy(() -> new InstanceId("Web_1", Color.BLUE, 0)).hasMessageContaining("RFC 1123");
    }

    @Test
    void unitNamesRoundTrip() {
        InstanceId id = new InstanceId("web-2", Color.GREEN, 3);
        assertThat(id.unitName()).isEqualTo("orch-web-2-green-3.service");
        assertThat(InstanceId.fromUnitName(id.unitName())).contains(id);
        assertThat(InstanceId.fromUnitName("orch-web-red-0.service")).isEmpty();
        assertThat(InstanceId.fromUnitName("nginx.service")).isEmpty();
    }

    @Test
    void instanceIdsFollowTheManifestRules() {
        String longest = "a".repeat(Rules.MAX_APP_NAME_LENGTH);
        assertThat(new InstanceId(longest, Color.BLUE, 0).app()).isEqualTo(longest);
        assertThatThrownBy(() -> new InstanceId(longest + "a", Color.BLUE, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 26 characters");
        InstanceId last = new InstanceId("web", Color.GREEN, DeploymentSpec.MAX_REPLICAS - 1);
        assertThat(InstanceId.fromUnitName(last.unitName())).contains(last);
        assertThatThrownBy(() -> new InstanceId("web", Color.BLUE, DeploymentSpec.MAX_REPLICAS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 64 replicas");
        // unit names orch never writes are someone else's: not an instance, and no exception
        assertThat(InstanceId.fromUnitName("orch-" + longest + "a-blue-0.service")).isEmpty();
        assertThat(InstanceId.fromUnitName("orch-web-blue-" + DeploymentSpec.MAX_REPLICAS + ".service")).isEmpty();
        assertThat(InstanceId.fromUnitName("orch-web-blue-99999999999.service")).isEmpty();
        assertThat(InstanceId.fromUnitName("orch--web-blue-0.service")).isEmpty();
    }

    @Test
    void systemctlShowOutputIsParsed() {
        String out = """
                Id=orch-web-blue-0.service
                LoadState=loaded
                ActiveState=activating
                SubState=auto-restart
                MainPID=0
                NRestarts=4
                ExecMainCode=1
                ExecMainStatus=3
                StateChangeTimestamp=@1700000000

                Id=orch-web-green-0.service
                LoadState=not-found
                ActiveState=inactive
                SubState=dead
                MainPID=0
                NRestarts=0
                ExecMainCode=0
                ExecMainStatus=0
                StateChangeTimestamp=
                """;
        var blocks = SystemdDriver.parseShow(out);
        assertThat(blocks).hasSize(2);
        InstanceStatus s = SystemdDriver.toStatus(new InstanceId("web", Color.BLUE, 0), blocks.get(0));
        assertThat(s.activeState()).isEqualTo(ActiveState.ACTIVATING);
        assertThat(s.restarts()).isEqualTo(4);
        assertThat(s.exitCode()).isEqualTo("exited");
        assertThat(s.exitStatus()).isEqualTo(3);
        assertThat(s.since()).isEqualTo(java.time.Instant.ofEpochSecond(1700000000));
        InstanceStatus g = SystemdDriver.toStatus(new InstanceId("web", Color.GREEN, 0), blocks.get(1));
        assertThat(g.installed()).isFalse();
        assertThat(g.exitStatus()).isNull();
    }

    @Test
    void namespacedConfigResolvesPathsAndPrefixesCommands() {
        var c = new SystemdConfig(Scope.SYSTEM, java.nio.file.Path.of("/proc/42/root"), "/run/systemd/system", "/run/orch/env",
                List.of("nsenter", "-t", "42", "-m", "-p"));
        assertThat(c.hostPath("/run/systemd/system")).hasToString("/proc/42/root/run/systemd/system");
        assertThat(c.systemctl("start", "x.service")).containsExactly("nsenter", "-t", "42", "-m", "-p", "systemctl", "start", "x.service");
        assertThat(SystemdConfig.user(java.nio.file.Path.of("/home/dev")).systemctl("daemon-reload"))
                .containsExactly("systemctl", "--user", "daemon-reload");
    }
}
