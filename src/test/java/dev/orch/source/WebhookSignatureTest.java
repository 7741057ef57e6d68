package dev.orch.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Push payloads signed as GitHub, Gitea and Forgejo sign them. */
class WebhookSignatureTest {
    static final byte[] SECRET = WebhookSignature.secret("It's a Secret to Everybody\n");
    static final byte[] PUSH = """
            {"ref":"refs/heads/main","before":"6113728f27ae82c7b1a177c8d03f9e96e0adf246",\
            "after":"59b20b8d5c6ff8d09518454d4dd8b7b30f095ab5","repository":{"full_name":"team/apps",\
            "clone_url":"https://git.example.com/team/apps.git"},"pusher":{"name":"dev"}}""".getBytes(StandardCharsets.UTF_8);

    static String hex(byte[] secret, byte[] body) {
        return HexFormat.of().formatHex(WebhookSignature.hmac(secret, body));
    }

    @Test
    void githubsDocumentedExampleVerifies() {
        // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation
        byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        String sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assertThat(WebhookSignature.check(SECRET, body, sig, null, null)).isNull();
    }

    @Test
    void validSignaturesOfEachHostAreAccepted() {
        String hex = hex(SECRET, PUSH);
        assertThat(WebhookSignature.check(SECRET, PUSH, "sha256=" + hex, null, null)).isNull();
        assertThat(WebhookSignature.check(SECRET, PUSH, null, hex, null)).isNull();
        assertThat(WebhookSignature.check(SECRET, PUSH, null, null, hex.toUpperCase())).isNull();
    }

    @Test
    void aWrongSecretIsRefused() {
        String hex = hex("not the secret".getBytes(StandardCharsets.UTF_8), PUSH);
        assertThat(WebhookSignature.check(SECRET, PUSH, "sha256=" + hex, null, null)).contains("does not match");
        assertThat(WebhookSignature.check(SECRET, PUSH, null, hex, null)).contains("does not match");
    }

    @Test
    void aMissingOrMalformedHeaderIsRefused() {
        assertThat(WebhookSignature.check(SECRET, PUSH, null, null, null)).contains("no signature header");
        assertThat(WebhookSignature.check(SECRET, PUSH, hex(SECRET, PUSH), null, null)).contains("sha256=<hex>");
        assertThat(WebhookSignature.check(SECRET, PUSH, "sha256=zz", null, null)).contains("not hexadecimal");
        assertThat(WebhookSignature.check(SECRET, PUSH, "sha256=", null, null)).contains("does not match");
    }

    @Test
    void aReplayedSignatureWithAChangedBodyIsRefused() {
        String sig = "sha256=" + hex(SECRET, PUSH);
        byte[] changed = new String(PUSH, StandardCharsets.UTF_8).replace("refs/heads/main", "refs/heads/evil").getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.check(SECRET, changed, sig, null, null)).contains("does not match");
        byte[] oneMoreByte = (new String(PUSH, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.check(SECRET, oneMoreByte, sig, null, null)).contains("does not match");
    }

    @Test
    void withoutASecretNothingIsAccepted() {
        String anything = "sha256=" + hex("guess".getBytes(StandardCharsets.UTF_8), PUSH);
        assertThat(WebhookSignature.check(null, PUSH, anything, null, null)).contains("no webhook secret");
        assertThat(WebhookSignature.check(new byte[0], PUSH, anything, null, null)).contains("no webhook secret");
    }
}
