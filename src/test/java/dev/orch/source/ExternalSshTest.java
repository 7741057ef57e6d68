package dev.orch.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;

class ExternalSshTest {
    @Test
    void sshGetsTheKeyStrictHostKeysAndNoShellOnThisSide() throws Exception {
        ExternalSsh ssh = new ExternalSsh(Path.of("/etc/orchd/deploy_key"), Path.of("/etc/orchd/known_hosts"), null);
        var argv = ssh.argv(new URIish("ssh://git@git.example.com:2222/team/apps.git"), "git-upload-pack '/team/apps.git'", 30);
        assertThat(argv).containsExactly("ssh", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=/etc/orchd/known_hosts", "-o", "GlobalKnownHostsFile=/dev/null",
                "-i", "/etc/orchd/deploy_key", "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=30", "-p", "2222",
                "--", "git@git.example.com", "git-upload-pack '/team/apps.git'");
    }

    @Test
    void theConfiguredUserIsUsedWhenTheUrlNamesNone() throws Exception {
        var argv = new ExternalSsh(null, null, "deploy").argv(new URIish("ssh://git.example.com/apps.git"), "git-upload-pack '/apps.git'", 0);
        assertThat(argv).endsWith("--", "deploy@git.example.com", "git-upload-pack '/apps.git'");
        assertThat(argv).doesNotContain("-i", "-p");
    }
}
