package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the client config file is, and that it keeps what set-context and use-context write. */
class ClientContextsTest {
    @TempDir
    Path dir;

    @Test
    void locationIsOrchconfigElseTheXdgConfigDirElseHomeDotConfig() {
        assertThat(ClientContexts.location(Map.of("ORCHCONFIG", "/etc/orch/client"))).isEqualTo(Path.of("/etc/orch/client"));
        assertThat(ClientContexts.location(Map.of("XDG_CONFIG_HOME", "/home/me/.xdg"))).isEqualTo(Path.of("/home/me/.xdg/orch/config"));
        assertThat(ClientContexts.location(Map.of())).isEqualTo(Path.of(System.getProperty("user.home"), ".config/orch/config"));
    }

    @Test
    void savesAndLoadsContextsWithModeSixHundred() throws Exception {
        Path f = dir.resolve("orch/config");
        assertThat(ClientContexts.load(f)).isEqualTo(new ClientContexts(null, List.of()));
        ClientContexts.Context prod = new ClientContexts.Context("prod", "https://10.0.0.5:7464", "/t", "/ca.pem");
        ClientContexts.Context dev = new ClientContexts.Context("dev", "http://127.0.0.1:7464", "/t2", null);
        new ClientContexts(null, List.of()).with(prod).with(dev).withCurrent("prod").save(f);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(Files.readString(f)).startsWith("current-context: prod\ncontexts:\n- name: prod\n  server: https://10.0.0.5:7464\n");
        ClientContexts back = ClientContexts.load(f);
        assertThat(back).isEqualTo(new ClientContexts("prod", List.of(prod, dev)));
        ClientContexts.Context moved = new ClientContexts.Context("prod", "https://10.0.0.6:7464", "/t", "/ca.pem");
        assertThat(back.with(moved).contexts()).containsExactly(moved, dev);
    }

    @Test
    void serverUrls() {
        assertThat(RemoteServer.parse("https://10.0.0.5:7000")).isEqualTo(new RemoteServer("10.0.0.5", 7000, true, null, null));
        assertThat(RemoteServer.parse("http://orch.example")).isEqualTo(new RemoteServer("orch.example", 7464, false, null, null));
        assertThat(RemoteServer.parse("https://[::1]:7464").url()).isEqualTo("https://[::1]:7464");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RemoteServer.parse("ftp://10.0.0.5:7464"))
                .hasMessage("invalid server URL \"ftp://10.0.0.5:7464\": use https://HOST:PORT (or http://)");
    }
}
