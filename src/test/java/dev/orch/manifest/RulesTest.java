package dev.orch.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RulesTest {
    @Test
    void appNames() {
        assertThat(Rules.appName("web")).isNull();
        assertThat(Rules.appName("a-1")).isNull();
        assertThat(Rules.appName("a".repeat(26))).isNull();
        assertThat(Rules.appName("a".repeat(27))).contains("31");
        assertThat(Rules.appName("")).isNotNull();
        assertThat(Rules.appName("web-")).isNotNull();
        assertThat(Rules.appName("w.eb")).isNotNull();
        // The longest name still gives a valid systemd user name.
        assertThat(("orch-" + "a".repeat(Rules.MAX_APP_NAME_LENGTH)).length()).isEqualTo(31);
    }

    @Test
    void appNamesOutsideAManifestGetOneClearMessage() {
        assertThat(Rules.appNameArgument("a".repeat(26))).isNull();
        assertThat(Rules.appNameArgument("a".repeat(27))).isEqualTo("invalid app name \"" + "a".repeat(27)
                + "\": must be 1 to 26 characters long (got 27): orch-<name> becomes the systemd DynamicUser name,"
                + " and systemd user names are at most 31 characters");
        assertThat(Rules.appNameArgument("Web")).isEqualTo("invalid app name \"Web\": use an RFC 1123 label: lowercase letters,"
                + " digits and '-', starting and ending with a letter or digit");
        assertThat(Rules.appNameArgument(null)).isEqualTo("app name is required");
        assertThat(Rules.requireAppName("web")).isEqualTo("web");
        assertThatThrownBy(() -> Rules.requireAppName("a".repeat(27))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 26 characters");
    }

    @Test
    void ipLiteralsNeverResolveNames() {
        assertThat(Rules.isIpLiteral("0.0.0.0")).isTrue();
        assertThat(Rules.isIpLiteral("127.0.0.1")).isTrue();
        assertThat(Rules.isIpLiteral("::")).isTrue();
        assertThat(Rules.isIpLiteral("fe80::1")).isTrue();
        assertThat(Rules.isIpLiteral("::ffff:10.0.0.1")).isTrue();
        assertThat(Rules.isIpLiteral("256.0.0.1")).isFalse();
        assertThat(Rules.isIpLiteral("01.2.3.4")).isFalse();
        assertThat(Rules.isIpLiteral("localhost")).isFalse();
        assertThat(Rules.isIpLiteral("fe80::1%eth0")).isFalse();
        assertThat(Rules.isIpLiteral(":::")).isFalse();
    }

    @Test
    void paths() {
        assertThat(Rules.absolutePath("/")).isNull();
        assertThat(Rules.absolutePath("/opt/app")).isNull();
        assertThat(Rules.absolutePath("/opt/app/")).isNotNull();
        assertThat(Rules.absolutePath("/opt/./app")).isNotNull();
        assertThat(Rules.absolutePath("/opt/../app")).contains("..");
        assertThat(Rules.absolutePath("opt")).contains("absolute");
    }

    @Test
    void usersEnvNamesAndLabels() {
        assertThat(Rules.linuxUser("www-data")).isNull();
        assertThat(Rules.linuxUser("_svc$")).isNull();
        assertThat(Rules.linuxUser("Root")).isNotNull();
        assertThat(Rules.linuxUser("a".repeat(32))).isNotNull();
        assertThat(Rules.envName("_A1")).isNull();
        assertThat(Rules.envName("1A")).isNotNull();
        assertThat(Rules.labelKey("example.com/name")).isNull();
        assertThat(Rules.labelKey("Example.com/name")).isNotNull();
        assertThat(Rules.labelKey("a".repeat(64))).isNotNull();
        assertThat(Rules.safeText("a\tb")).isNull();
        assertThat(Rules.safeText("a\nb")).contains("newline");
    }
}
