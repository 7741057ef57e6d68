package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code orchctl apply --dry-run=client}: validates without a daemon, kubectl's output and exit codes. */
class ApplyDryRunTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Cli.commandLine().execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    @Test
    void theShippedExamplesValidateWithoutADaemon() {
        System.setProperty("orch.state-dir", dir.toString()); // no daemon there
        try {
            Run r = run("apply", "--dry-run=client", "-f", "manifests");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("deployment.orch.dev/hello created (dry run)", "deployment.orch.dev/echo created (dry run)");
        } finally {
            System.clearProperty("orch.state-dir");
        }
    }

    @Test
    void printsWhatWouldBeAppliedWithDefaults() {
        Run r = run("apply", "--dry-run=client", "-o", "yaml", "-f", "manifests/hello/hello.yaml");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("---\n").containsOnlyOnce("---")
                .contains("name: \"hello\"", "progressDeadlineSeconds: 60", "revisionHistoryLimit: 10", "keepWarmSeconds: 300");
    }

    @Test
    void invalidManifestsExitOneWithEveryErrorAndItsLocation() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                apiVersion: orch.dev/v1
                kind: Deployment
                metadata:
                  name: Web
                spec:
                  route:
                    port: 70000
                  template:
                    command: ["/bin/true"]
                """);
        Run r = run("apply", "--dry-run=client", "-f", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(bad + ":4:9: metadata.name:").contains(bad + ":7:11: spec.route.port:")
                .contains("2 error(s) in the manifests; nothing was applied");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("apply", "--dry-run=maybe", "-f", "manifests").code()).isEqualTo(2);
        assertThat(run("apply").code()).as("-f is required").isEqualTo(2);
        assertThat(run("apply", "--dry-run=client", "-f", dir.resolve("missing.yaml").toString()).code()).isEqualTo(1);
    }
}
