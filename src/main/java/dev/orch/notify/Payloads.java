package dev.orch.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The bodies receivers get: orch's JSON event, or Slack's incoming-webhook message (text plus one attachment). */
final class Payloads {
    static final String SIGNATURE_HEADER = "X-Orch-Signature";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Payloads() {
    }

    static byte[] body(ReceiverSpec.Type type, DeployEvent e) {
        Object doc = type == ReceiverSpec.Type.SLACK ? slack(e) : e.toJson();
        try {
            return JSON.writeValueAsBytes(doc);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** Only fields of Slack's documented incoming-webhook and legacy attachment format, which Mattermost and Rocket.Chat read too. */
    static Map<String, Object> slack(DeployEvent e) {
        String text = (e.severity() == Severity.INFO ? "" : e.severity() == Severity.ERROR ? ":x: " : ":warning: ")
                + (e.app() != null ? e.app() : "repository " + e.source()) + " on " + e.host() + ": " + e.reason();
        List<Map<String, Object>> fields = new ArrayList<>();
        if (e.app() != null) {
            fields.add(field("App", e.app()));
        }
        if (e.source() != null) {
            fields.add(field("Source", e.source()));
        }
        fields.add(field("Host", e.host()));
        if (e.revision() > 0) {
            fields.add(field("Revision", String.valueOf(e.revision())));
        }
        if (e.liveColor() != null) {
            fields.add(field("Live", e.liveColor()));
        }
        if (e.commit() != null) {
            fields.add(field("Commit", e.commit()));
        }
        if (e.author() != null) {
            fields.add(field("Author", e.author()));
        }
        if (e.signer() != null) {
            fields.add(field("Signer", e.signer()));
        }
        Map<String, Object> attachment = new LinkedHashMap<>();
        attachment.put("fallback", text + (e.message() == null ? "" : " - " + e.message()));
        attachment.put("color", switch (e.severity()) {
            case INFO -> "good";
            case WARNING -> "warning";
            case ERROR -> "danger";
        });
        attachment.put("title", e.reason());
        attachment.put("text", e.message() == null ? "" : e.message());
        attachment.put("fields", fields);
        attachment.put("footer", "orch");
        attachment.put("ts", e.time().getEpochSecond());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", text);
        m.put("attachments", List.of(attachment));
        return m;
    }

    private static Map<String, Object> field(String title, String value) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("title", title);
        f.put("value", value);
        f.put("short", true);
        return f;
    }

    /** {@code sha256=<hex of HMAC-SHA256(secret, body)>}, GitHub's webhook convention. */
    static String signature(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
