package dev.orch.manifest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The value rules of manifests, shared with code that checks names outside a manifest (CLI arguments,
 * API paths). Each check returns null when the value is fine, or a message that says what is allowed.
 */
public final class Rules {
    /** {@code orch-<name>} is the unit's DynamicUser name, and systemd user names have at most 31 characters. */
    public static final int MAX_APP_NAME_LENGTH = 26;

    private static final Pattern APP_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final String APP_NAME_CHARACTERS =
            "an RFC 1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LINUX_USER = Pattern.compile("[a-z_][a-z0-9_-]*[$]?");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
    private static final Pattern HTTP_TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private Rules() {}

    /**
     * The one app-name rule: an RFC 1123 label of 1 to {@value #MAX_APP_NAME_LENGTH} characters. Manifests, API
     * paths, the state store (the name is a directory) and unit names ({@code InstanceId}) all check it here.
     */
    public static String appName(String name) {
        if (name.isEmpty() || name.length() > MAX_APP_NAME_LENGTH) {
            return appNameLength(name);
        }
        if (!APP_NAME.matcher(name).matches()) {
            return "invalid name \"" + name + "\": use " + APP_NAME_CHARACTERS;
        }
        return null;
    }

    /**
     * {@link #appName} for a name outside a manifest (API path, state file, unit name): the message names the
     * value as an app name, e.g. {@code invalid app name "Web": use an RFC 1123 label: ...}.
     */
    public static String appNameArgument(String name) {
        if (name == null) {
            return "app name is required";
        }
        if (name.isEmpty() || name.length() > MAX_APP_NAME_LENGTH) {
            return "invalid app name \"" + name + "\": " + appNameLength(name);
        }
        if (!APP_NAME.matcher(name).matches()) {
            return "invalid app name \"" + name + "\": use " + APP_NAME_CHARACTERS;
        }
        return null;
    }

    /** {@link #appNameArgument}, throwing {@link IllegalArgumentException} with its message; returns the name. */
    public static String requireAppName(String name) {
        String problem = appNameArgument(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return name;
    }

    private static String appNameLength(String name) {
        return "must be 1 to " + MAX_APP_NAME_LENGTH + " characters long (got " + name.length()
                + "): orch-<name> becomes the systemd DynamicUser name, and systemd user names are at most 31 characters";
    }

    public static String envName(String name) {
        return ENV_NAME.matcher(name).matches()
                ? null
                : "invalid environment variable name \"" + name + "\": use letters, digits and '_', not starting with a digit";
    }

    public static String linuxUser(String user) {
        if (user.isEmpty() || user.length() > 31 || !LINUX_USER.matcher(user).matches()) {
            return "invalid user name \"" + user + "\": use 1 to 31 characters: lowercase letters, digits, '_' and '-', starting with a letter or '_' (optionally ending in '$')";
        }
        return null;
    }

    /** Kubernetes qualified name: {@code [prefix/]name}, prefix a DNS subdomain of at most 253, name at most 63. */
    public static String labelKey(String key) {
        int slash = key.indexOf('/');
        String prefix = slash < 0 ? null : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        boolean prefixOk = prefix == null
                || (!prefix.isEmpty() && prefix.length() <= 253 && DNS_SUBDOMAIN.matcher(prefix).matches());
        boolean nameOk = name.length() <= 63 && LABEL_NAME.matcher(name).matches();
        if (prefixOk && nameOk) {
            return null;
        }
        return "invalid key \"" + key + "\": use an optional DNS subdomain prefix and '/', then a name of at most 63 characters"
                + " (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)";
    }

    public static String labelValue(String value) {
        if (value.isEmpty() || (value.length() <= 63 && LABEL_NAME.matcher(value).matches())) {
            return null;
        }
        return "invalid label value \"" + value + "\": use at most 63 characters (letters, digits, '-', '_' and '.', starting and ending with a letter or digit), or an empty string";
    }

    public static String port(long port) {
        return port >= 1 && port <= 65535 ? null : "must be a port between 1 and 65535, got " + port;
    }

    /** A literal IPv4 or IPv6 address; never resolves a host name. */
    public static String ipLiteral(String address) {
        return isIpLiteral(address) ? null : "invalid address \"" + address + "\": use a literal IPv4 or IPv6 address such as 0.0.0.0, 127.0.0.1 or ::";
    }

    public static boolean isIpLiteral(String s) {
        return literalAddress(s) != null;
    }

    /**
     * The address an IPv4 or IPv6 literal stands for, or null when {@code s} is not one; never a DNS lookup. Compare
     * these, not the text: {@code ::1}, {@code 0:0:0:0:0:0:0:1} and {@code 0::1} are one address.
     */
    public static InetAddress literalAddress(String s) {
        boolean ipv4 = IPV4.matcher(s).matches();
        if (!ipv4 && (!s.contains(":") || !IPV6_CHARS.matcher(s).matches())) {
            return null;
        }
        try {
            // Dotted decimal, or a ':' with only hex digits, ':' and '.': the JDK parses a literal, never looks it up.
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Whether two listeners' bind addresses collide on one port: compared as parsed addresses ({@code ::1} is
     * {@code 0:0:0:0:0:0:0:1}); a wildcard overlaps every address.
     */
    public static boolean addressesOverlap(String a, String b) {
        InetAddress x = literalAddress(a);
        InetAddress y = literalAddress(b);
        if (x == null || y == null) {
            return a.equals(b);
        }
        return x.equals(y) || x.isAnyLocalAddress() || y.isAnyLocalAddress();
    }

    /** A host name (RFC 1123) or an IP literal, for probes. */
    public static String host(String host) {
        if (isIpLiteral(host) || (host.length() <= 253 && HOSTNAME.matcher(host).matches())) {
            return null;
        }
        return "invalid host \"" + host + "\": use a host name or a literal IP address";
    }

    public static String httpHeaderName(String name) {
        return HTTP_TOKEN.matcher(name).matches() ? null : "invalid HTTP header name \"" + name + "\"";
    }

    /** Absolute, normalised (no empty, {@code .} or {@code ..} segments, no trailing '/'). */
    public static String absolutePath(String path) {
        if (!path.startsWith("/")) {
            return "must be an absolute path (starting with '/'), got \"" + path + "\"";
        }
        if (path.equals("/")) {
            return null;
        }
        for (String segment : path.substring(1).split("/", -1)) {
            if (segment.equals("..")) {
                return "must not contain a '..' segment, got \"" + path + "\"";
            }
            if (segment.isEmpty() || segment.equals(".")) {
                return "must be a normalised path (no '//', '.' segments or trailing '/'), got \"" + path + "\"";
            }
        }
        return null;
    }

    /** Newline, carriage return and NUL would break a unit file or an environment file. */
    public static String safeText(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\0') {
                String what = c == '\n' ? "newline" : c == '\r' ? "carriage return" : "NUL";
                return "must not contain a " + what + " character (at index " + i + ")";
            }
        }
        return null;
    }
}
