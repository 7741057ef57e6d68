package dev.orch.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EscapingTest {
    @Test
    void execArgQuotesAndEscapesSpecifiersDollarsBackslashesAndQuotes() {
        assertThat(SystemdEscape.execArg("a b")).isEqualTo("\"a b\"");
        assertThat(SystemdEscape.execArg("100%")).isEqualTo("\"100%%\"");
        assertThat(SystemdEscape.execArg("$HOME")).isEqualTo("\"$$HOME\"");
        assertThat(SystemdEscape.execArg("a\\b\"c")).isEqualTo("\"a\\\\b\\\"c\"");
        assertThat(SystemdEscape.execArg(";")).isEqualTo("\";\"");
        assertThat(SystemdEscape.execArg("")).isEqualTo("\"\"");
        assertThat(SystemdEscape.execArg("t\tx\u0001")).isEqualTo("\"t\\tx\\x01\"");
        assertThat(SystemdEscape.execArg("✓")).isEqualTo("\"✓\"");
    }

    @Test
    void quotedWordKeepsDollarLiteral() {
        assertThat(SystemdEscape.quotedWord("/opt/$x 1%")).isEqualTo("\"/opt/$x 1%%\"");
    }

    @Test
    void envFileValueEscapesExactlyWhatSystemdUnescapes() {
        assertThat(SystemdEscape.envFileValue("a \"b\" $c `d` \\e %f 'g'")).isEqualTo("\"a \\\"b\\\" \\$c \\`d\\` \\\\e %f 'g'\"");
    }

    @Test
    void newlinesAndNulAreRejectedEverywhere() {
        for (String bad : List.of("a\nb", "a\rb", "a\0b")) {
            assertThatThrownBy(() -> SystemdEscape.execArg(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SystemdEscape.envFileValue(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SystemdEscape.specifiers(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void kubernetesExpansionSemantics() {
        Map<String, String> v = Map.of("PORT", "8080", "A", "x");
        assertThat(Expansion.expand("--port=$(PORT)", v)).isEqualTo("--port=8080");
        assertThat(Expansion.expand("$$(PORT)", v)).isEqualTo("$(PORT)");
        assertThat(Expansion.expand("$(NOPE)", v)).isEqualTo("$(NOPE)");
        assertThat(Expansion.expand("$$", v)).isEqualTo("$");
        assertThat(Expansion.expand("$HOME $", v)).isEqualTo("$HOME $");
        assertThat(Expansion.expand("$(A)$(A)", v)).isEqualTo("xx");
        assertThat(Expansion.expand("$(unclosed", v)).isEqualTo("$(unclosed");
        assertThat(Expansion.expand("$$$(A)", v)).isEqualTo("$x");
    }

    @Test
    void unitFileModelRendersOrderedRepeatedKeysAndRoundTrips() {
        UnitFile f = UnitFile.builder().comment("head").section("Unit").add("Description", "d")
                .section("Service").add("SystemCallFilter", "@system-service").add("SystemCallFilter", "~@privileged").build();
        String text = f.render();
        assertThat(text).isEqualTo("# head\n\n[Unit]\nDescription=d\n\n[Service]\nSystemCallFilter=@system-service\nSystemCallFilter=~@privileged\n");
        UnitFile back = UnitFile.parse(text);
        assertThat(back.render()).isEqualTo(text);
        assertThat(back.section("Service").orElseThrow().values("SystemCallFilter")).containsExactly("@system-service", "~@privileged");
        assertThatThrownBy(() -> new UnitFile.Entry("Bad Key", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UnitFile.Entry("K", "line\nInjected=1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UnitFile.Entry("K", "ends\\")).isInstanceOf(IllegalArgumentException.class);
    }
}
