package dev.orch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HostIdentityTest {
    @Test
    void labelsAreParsedAndTheNameDefaultsToTheMachines() throws Exception {
        HostIdentity h = HostIdentity.of(Optional.empty(), Optional.of("environment=staging, role=web,region=eu-1"));
        assertThat(h.labels()).isEqualTo(Map.of("environment", "staging", "role", "web", "region", "eu-1"));
        assertThat(h.name()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
        Path machineId = Path.of("/etc/machine-id");
        assertThat(h.machineId()).isEqualTo(Files.exists(machineId) ? Files.readString(machineId).strip() : "");
        assertThat(HostIdentity.of(Optional.of("prod-1"), Optional.empty())).extracting(HostIdentity::name, HostIdentity::labels)
                .containsExactly("prod-1", Map.of());
    }

    @Test
    void badLabelsNameTheKeyThePartAndTheForm() {
        assertThatThrownBy(() -> HostIdentity.parseLabels("environment=staging,role"))
                .hasMessage("orch.host.labels=\"environment=staging,role\" is invalid at \"role\": not key=value;"
                        + " use key=value pairs separated by commas, e.g. environment=staging,role=web");
        assertThatThrownBy(() -> HostIdentity.parseLabels("a=1,a=2")).hasMessageContaining("at \"a=2\": label a given twice");
        assertThatThrownBy(() -> HostIdentity.parseLabels("env=has space")).hasMessageContaining("at \"env=has space\": value: ");
    }
}
