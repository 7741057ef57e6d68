package dev.orch.manifest;

import java.util.regex.Pattern;

/** The shapes of {@code route.hosts} and {@code route.pathPrefix}: what is accepted and how it is compared. */
public final class HostRules {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern PREFIX = Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*");

    private HostRules() {}

    /** Null when {@code host} is an exact DNS name or a {@code *.}-wildcard over one; else what is wrong. */
    public static String hostPattern(String host) {
        String rule = ": use a DNS name such as app.example.com, or a wildcard such as *.example.com (no port, no scheme)";
        if (host.isEmpty() || host.length() > 253) {
            return "invalid host \"" + host + "\"" + rule;
        }
        String name = host.startsWith("*.") ? host.substring(2) : host;
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return "invalid host \"" + host + "\"" + (host.chars().anyMatch(Character::isUpperCase) ? " (write it in lower case)" : "") + rule;
            }
        }
        return null;
    }

    /** Null when {@code prefix} is a path such as {@code /api}; else what is wrong. */
    public static String pathPrefix(String prefix) {
        if (!PREFIX.matcher(prefix).matches() || prefix.contains("//")) {
            return "invalid path prefix \"" + prefix + "\": use a path starting with '/', such as /api (no query, no spaces)";
        }
        return null;
    }

    /** The prefix as compared and matched: without a trailing slash ({@code /api/} is {@code /api}), {@code /} for none. */
    public static String normalPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty() || prefix.equals("/")) {
            return "/";
        }
        String p = prefix;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** The text of one claim: {@code host} alone for the root prefix, else {@code host/prefix}. */
    public static String claim(String host, String prefix) {
        String p = normalPrefix(prefix);
        return p.equals("/") ? host : host + p;
    }
}
