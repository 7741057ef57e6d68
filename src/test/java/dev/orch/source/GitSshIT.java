package dev.orch.source;

import static dev.orch.source.TestRepo.manifest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orch.state.StateStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Git over ssh against a real OpenSSH server (Debian's openssh-server, started by the test on a loopback
 * port): a deploy key and a strict known_hosts fetch; a key the server does not know and a host key the
 * client does not know are both authentication failures that change nothing.
 */
class GitSshIT {
    @TempDir
    static Path tmp;

    static Process sshd;
    static int port;
    static TestRepo remote;
    static String hostKeyLine;

    @BeforeAll
    static void startSshd() throws Exception {
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege-separation directory
        keygen(tmp.resolve("host_key"));
        keygen(tmp.resolve("deploy_key"));
        keygen(tmp.resolve("other_key"));
        Files.copy(tmp.resolve("deploy_key.pub"), tmp.resolve("authorized_keys"));
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(tmp.resolve("sshd_config"), """
                Port %d
                ListenAddress 127.0.0.1
                HostKey %s
                PidFile %s
                AuthorizedKeysFile %s
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                PermitRootLogin prohibit-password
                StrictModes no
                UsePAM no
                """.formatted(port, tmp.resolve("host_key"), tmp.resolve("sshd.pid"), tmp.resolve("authorized_keys")));
        sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", tmp.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!listening()) {
            if (!sshd.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("sshd did not start: " + Files.readString(tmp.resolve("sshd.log")));
            }
            Thread.sleep(50);
        }
        String[] pub = Files.readString(tmp.resolve("host_key.pub")).trim().split("\\s+");
        hostKeyLine = "[127.0.0.1]:" + port + " " + pub[0] + " " + pub[1] + "\n";
        remote = new TestRepo(tmp.resolve("remote"));
        remote.write("apps/web.yaml", manifest("web", 8080, "v1")).commit("first");
    }

    @AfterAll
    static void stopSshd() throws InterruptedException {
        if (remote != null) {
            remote.close();
        }
        if (sshd != null) {
            sshd.destroy();
            sshd.waitFor();
        }
    }

    static boolean listening() {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void keygen(Path key) throws Exception {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }

    SyncResult syncWith(String name, Path key, String knownHosts) throws IOException {
        Path kh = tmp.resolve(name + "_known_hosts");
        Files.writeString(kh, knownHosts);
        StateStore store = new StateStore(tmp.resolve("state-" + name));
        GitRepoSpec spec = new GitRepoSpec(name, "ssh://root@127.0.0.1:" + port + remote.dir(), "main", "apps", null, null, "root", null,
                key, kh, null, null);
        try (GitSources sources = new GitSources(List.of(spec), store, new RecordingEvents().intake(store), Clock.systemUTC(), new SimpleMeterRegistry())) {
            SyncResult r = sources.syncNow(List.of()).get(0);
            lastStatus = sources.statuses().get(0);
            lastStore = store;
            return r;
        }
    }

    RepoStatus lastStatus;
    StateStore lastStore;

    @Test
    void aDeployKeyAndAKnownHostFetch() throws Exception {
        SyncResult r = syncWith("good", tmp.resolve("deploy_key"), hostKeyLine);
        assertThat(r.result()).as("%s %s", r, lastStatus).isEqualTo(SyncResult.SYNCED);
        assertThat(r.added()).containsExactly("web");
        assertThat(lastStore.readDesired("web")).isPresent();
    }

    @Test
    void aKeyTheServerDoesNotKnowIsAnAuthenticationFailure() throws Exception {
        SyncResult r = syncWith("wrongkey", tmp.resolve("other_key"), hostKeyLine);
        assertThat(r.result()).isEqualTo(SyncResult.FAILED);
        assertThat(lastStatus.reason()).as("%s", lastStatus).isEqualTo("AuthenticationFailed");
        assertThat(lastStore.readDesired("web")).isEmpty();
    }

    @Test
    void anUnknownHostKeyIsRefused() throws Exception {
        SyncResult r = syncWith("unknownhost", tmp.resolve("deploy_key"), "");
        assertThat(r.result()).isEqualTo(SyncResult.FAILED);
        assertThat(lastStatus.reason()).as("%s", lastStatus).isEqualTo("AuthenticationFailed");
        assertThat(lastStatus.message()).containsIgnoringCase("host key");
        assertThat(lastStore.readDesired("web")).isEmpty();
    }
}
