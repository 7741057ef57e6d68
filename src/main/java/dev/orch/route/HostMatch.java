package dev.orch.route;

import dev.orch.manifest.HostRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Which app serves a request on the shared listeners: a pure function of host and path over an immutable list of
 * claims. Most specific wins: an exact host over a wildcard (a longer wildcard over a shorter one), then the
 * longest path prefix. A prefix matches on whole segments: {@code /api} matches {@code /api} and {@code /api/x},
 * never {@code /apix}.
 *
 * @param <T> what a claim points at (the router's per-app entry)
 */
public final class HostMatch<T> {
    /** One app's claim of one host and prefix. */
    public record Claim<T>(String host, String prefix, T target) {
        public Claim {
            host = host.toLowerCase(Locale.ROOT);
            prefix = HostRules.normalPrefix(prefix);
        }

        boolean wildcard() {
            return host.startsWith("*.");
        }
    }

    private final List<Claim<T>> ordered;

    public HostMatch(List<Claim<T>> claims) {
        List<Claim<T>> l = new ArrayList<>(claims);
        // Exact hosts first, then wildcards by length (longest first); within a host, the longest prefix first.
        l.sort(Comparator.<Claim<T>>comparingInt(c -> c.wildcard() ? 1 : 0)
                .thenComparing(c -> -c.host().length())
                .thenComparing(c -> -c.prefix().length()));
        this.ordered = List.copyOf(l);
    }

    public List<Claim<T>> claims() {
        return ordered;
    }

    /** The claim serving {@code host} (a Host header, port allowed) and {@code path}, or null. */
    public Claim<T> match(String host, String path) {
        String h = hostOnly(host);
        if (h == null) {
            return null;
        }
        String p = path == null || path.isEmpty() ? "/" : path;
        for (Claim<T> c : ordered) {
            if (hostMatches(c.host(), h) && prefixMatches(c.prefix(), p)) {
                return c;
            }
        }
        return null;
    }

    /** The most specific claim on {@code host} whatever the path (SNI: the certificate of that host). */
    public List<Claim<T>> forHost(String host) {
        String h = hostOnly(host);
        List<Claim<T>> out = new ArrayList<>();
        if (h != null) {
            for (Claim<T> c : ordered) {
                if (hostMatches(c.host(), h)) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    static boolean hostMatches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1); // ".example.com"
            return host.length() > suffix.length() && host.endsWith(suffix);
        }
        return pattern.equals(host);
    }

    static boolean prefixMatches(String prefix, String path) {
        if (prefix.equals("/")) {
            return true;
        }
        if (!path.startsWith(prefix)) {
            return false;
        }
        if (path.length() == prefix.length()) {
            return true;
        }
        char next = path.charAt(prefix.length());
        return next == '/' || next == '?';
    }

    /** {@code /api/x?q} with prefix {@code /api} stripped: {@code /x?q}; {@code /api} alone becomes {@code /}. */
    static String strip(String prefix, String uri) {
        if (prefix.equals("/")) {
            return uri;
        }
        String rest = uri.substring(prefix.length());
        return rest.isEmpty() || rest.charAt(0) == '?' ? "/" + rest : rest;
    }

    /** The host of a Host header, lower case, without port or trailing dot; null when empty. */
    static String hostOnly(String header) {
        if (header == null) {
            return null;
        }
        String h = header.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end < 0 ? h : h.substring(0, end + 1);
        } else {
            int colon = h.indexOf(':');
            if (colon >= 0) {
                h = h.substring(0, colon);
            }
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h.isEmpty() ? null : h.toLowerCase(Locale.ROOT);
    }
}
