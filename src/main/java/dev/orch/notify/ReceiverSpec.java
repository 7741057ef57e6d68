package dev.orch.notify;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * One configured receiver ({@code orch.notify.receivers.<name>.*}).
 *
 * @param secret HMAC-SHA256 key of a webhook, or null for no signature
 * @param apps only these apps; empty = all
 * @param reasons only these reasons; empty = all
 */
public record ReceiverSpec(String name, Type type, URI url, byte[] secret, List<String> apps, List<String> reasons,
        Severity severity, Duration timeout) {
    public enum Type { WEBHOOK, SLACK }

    public ReceiverSpec {
        apps = List.copyOf(apps);
        reasons = List.copyOf(reasons);
    }

    public static Type parseType(String key, String value) {
        return switch (value) {
            case "webhook" -> Type.WEBHOOK;
            case "slack" -> Type.SLACK;
            default -> throw new IllegalArgumentException(key + "=\"" + value + "\" is invalid: use webhook or slack");
        };
    }

    boolean wants(DeployEvent e) {
        // a repository's event that names no app (a failed fetch) concerns every app it defines
        return (apps.isEmpty() || e.app() == null || apps.contains(e.app())) && (reasons.isEmpty() || reasons.contains(e.reason()))
                && e.severity().compareTo(severity) >= 0;
    }

    /** The URL without path or query: a Slack URL's path is its secret. */
    String displayUrl() {
        return url.getScheme() + "://" + url.getAuthority();
    }
}
