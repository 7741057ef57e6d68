package dev.orch.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.orch.manifest.EnvVar;
import dev.orch.state.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The process driver's secrets: 0400 files in a tmpfs runtime directory, else the state dir with a warning. */
class ProcessDriverSecretsTest {
    static final String CT = "-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n";
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
    void aTmpfsRuntimeDirIsPreferredAndTheStateDirIsTheLastResort() {
        Path shm = Path.of("/dev/shm");
        assertThat(RuntimeDirs.isTmpfs(shm)).as("this test needs /dev/shm on tmpfs").isTrue();
        assertThat(ProcessSecrets.base(List.of(state.resolve("missing"), shm), state)).isEqualTo(shm.resolve("orch/secrets"));
        assertThat(ProcessSecrets.base(List.of(state.resolve("missing"), state), state)).as("a directory on disk is no runtime dir")
                .isEqualTo(state.resolve("secrets"));
        assertThat(ProcessSecrets.onDiskWarning(state.resolve("secrets")))
                .isEqualTo("no tmpfs runtime directory ($XDG_RUNTIME_DIR or /run): the opened secrets are on persistent disk in "
                        + state.resolve("secrets"));
    }

    @Test
    void theProcessReadsItsCredentialsDirectoryAndItsSealedEnvVar() throws Exception {
        Path out = state.resolve("out.txt");
        var t = Specs.withEnv(Specs.template(List.of("/bin/sh"),
                List.of("-c", "cat \"$CREDENTIALS_DIRECTORY/TOKEN\" > " + out + "; echo \" $TOKEN\" >> " + out + "; sleep 600")),
                List.of(new EnvVar("TOKEN", null, CT)));
        ServiceSpec spec = Specs.spec("sec", Color.BLUE, 0, 19011, t);
        String warning = driver.stageSecrets("sec", Color.BLUE,
                new SecretPayload(Map.of("TOKEN", "tok-1".getBytes(StandardCharsets.UTF_8)), Map.of("TOKEN", "tok-1")));
        driver.install(List.of(spec));
        driver.start(spec.id());
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(out) && Files.readString(out).contains(" tok-1\n"));
        assertThat(Files.readString(out)).isEqualTo("tok-1 tok-1\n");
        Path base = Path.of(System.getenv("XDG_RUNTIME_DIR") != null ? System.getenv("XDG_RUNTIME_DIR") : "/run");
        if (RuntimeDirs.isTmpfs(base) && Files.isWritable(base)) {
            assertThat(warning).isNull();
            Path file = base.resolve("orch/secrets/sec-blue/TOKEN");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--------");
        } else {
            assertThat(warning).startsWith("no tmpfs runtime directory");
        }
        driver.remove(List.of(spec.id()));
        driver.stageSecrets("sec", Color.BLUE, SecretPayload.NONE);
        assertThat(base.resolve("orch/secrets/sec-blue")).doesNotExist();
    }
}
