package dev.orch.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ManifestErrorTest {
    @Test
    void controlFormatAndSeparatorCharactersAreEscapedAndPrintableTextIsKept() {
        assertThat(ManifestError.printable("tab\there\r\u0000 \u0007\u001b[1m\u007f\u0085\u009b \u2028\u202e\ud800 café ✓"))
                .isEqualTo("tab\\there\\r\\0 \\x07\\x1b[1m\\x7f\\x85\\x9b \\u2028\\u202e\\ud800 café ✓");
        assertThat(ManifestError.printable("plain")).isSameAs("plain");
    }

    @Test
    void oneErrorIsOneLineWhateverItsPartsHold() {
        ManifestError e = new ManifestError("a\nb.yaml", 3, 4, "spec.x\nfake.yaml:1:1: ok", "unknown field \"\u001b]0;title\u0007\"");

        assertThat(e.toString()).isEqualTo("a\\nb.yaml:3:4: spec.x\\nfake.yaml:1:1: ok: unknown field \"\\x1b]0;title\\x07\"");
        assertThat(new ManifestError(e.file(), e.line(), e.column(), e.field(), e.message())).isEqualTo(e);
    }
}
