package dev.orch.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceDriversTest {
    @TempDir
    Path tmp;

    @Test
    void autoPicksSystemdOnlyWhenItIsRunning() throws Exception {
        Path marker = tmp.resolve("run-systemd-system");
        var proc = ProcessDriverConfig.defaults(tmp);
        try (ServiceDriver d = ServiceDrivers.detect(DriverMode.AUTO, SystemdConfig.system(), proc, marker)) {
            assertThat(d.kind()).isEqualTo("process");
        }
        Files.createDirectory(marker);
        try (ServiceDriver d = ServiceDrivers.detect(DriverMode.AUTO, SystemdConfig.system(), proc, marker)) {
            assertThat(d.kind()).isEqualTo("systemd");
        }
    }

    @Test
    void configCanForceEitherDriver() throws Exception {
        Path missing = tmp.resolve("missing");
        var proc = ProcessDriverConfig.defaults(tmp);
        try (ServiceDriver d = ServiceDrivers.detect(DriverMode.parse("systemd"), SystemdConfig.system(), proc, missing)) {
            assertThat(d).isInstanceOf(SystemdDriver.class);
        }
        Files.createDirectory(missing);
        try (ServiceDriver d = ServiceDrivers.detect(DriverMode.parse(" Process "), SystemdConfig.system(), proc, missing)) {
            assertThat(d).isInstanceOf(ProcessDriver.class);
        }
        assertThatThrownBy(() -> DriverMode.parse("docker")).hasMessageContaining("auto, systemd or process");
    }
}
