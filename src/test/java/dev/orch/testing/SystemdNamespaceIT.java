package dev.orch.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fixture itself: masks, canary, journal access, and no orphan systemd however the JVM ends. */
class SystemdNamespaceIT {

    @Test
    void maskListCoversHostDamagingUnitsAndKeepsJournald() {
        List<String> masks = SystemdNamespace.masks();
        assertThat(masks).containsAll(SystemdNamespace.ALWAYS_MASK)
                .doesNotContainAnyElementsOf(SystemdNamespace.KEEP);
        assertThatThrownBy(() -> SystemdNamespace.verifyMasks(new HashSet<>(List.of("systemd-udevd.service"))))
                .hasMessageContaining("is not masked");
    }

    @Test
    void bootsKeepsTmpIntactServesJournalAndLeavesNothingBehind() throws Exception {
        SystemdNamespace ns = new SystemdNamespace();
        ns.start("fixture-self-test");
        long pid = ns.pid();
        try {
            assertThat(ns.exec("systemctl", "is-system-running").stdout().strip()).isIn("running", "degraded");
            // nothing of sysinit's host-touching units may be active
            String active = ns.exec("systemctl", "list-units", "--state=active", "--no-legend", "--plain").stdout();
            assertThat(active).doesNotContain("systemd-tmpfiles", "systemd-udevd", "systemd-sysctl", "systemd-timesyncd");
            ns.exec("systemd-run", "--unit=fixture-probe", "/bin/true");
            await().atMost(Duration.ofSeconds(10)).until(() -> ns.journal().contains("fixture-probe"));
        } finally {
            ns.close(); // also asserts the canary survived
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).isEmpty());
    }

    @Test
    void killingTheTestJvmKillsTheNamespace() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SystemdNamespace.class.getName())
                .redirectErrorStream(true)
                .start();
        long nsPid = 0;
        Path canary = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("CANARY ")) {
                    canary = Path.of(line.substring(7).strip());
                } else if (line.startsWith("PID ")) {
                    nsPid = Long.parseLong(line.substring(4).strip());
                    break;
                }
            }
        }
        assertThat(nsPid).as("child JVM booted a namespace").isPositive();
        assertThat(ProcessHandle.of(nsPid)).isPresent();
        child.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long p = nsPid;
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(p).isEmpty());
        assertThat(canary).exists();
        Files.delete(canary); // the killed JVM could not remove its own canary
    }
}
