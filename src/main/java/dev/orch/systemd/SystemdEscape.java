package dev.orch.systemd;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Escaping of user strings for the places they land in a unit file. Each context in systemd's parser treats
 * different characters specially, so there is one method per context:
 * <ul>
 *   <li>{@link #execArg}: one word of {@code ExecStart=}: double-quoted, C-style {@code \\} and {@code \"}, {@code %}
 *       doubled (specifiers), {@code $} doubled (systemd's own {@code $VAR} expansion); a quoted {@code ";"} is
 *       an argument, not a command separator.</li>
 *   <li>{@link #quotedWord}: one word of a space-separated list such as {@code ReadWritePaths=}: quoted and
 *       specifier-escaped, {@code $} literal (no variable expansion there).</li>
 *   <li>{@link #specifiers}: a whole value such as {@code WorkingDirectory=} or {@code Description=}: only
 *       {@code %} is special.</li>
 *   <li>{@link #envFileValue}: a value in an {@code EnvironmentFile=}: double-quoted with a backslash before
 *       {@code " \ ` $}, which is exactly the set systemd's env-file parser unescapes.</li>
 * </ul>
 * Newlines and NULs are never representable and are rejected everywhere; other control characters are written as
 * C escapes inside quotes.
 */
public final class SystemdEscape {
    private SystemdEscape() {}

    public static String execArg(String s) {
        return quote(s, true);
    }

    public static String execLine(List<String> argv) {
        return argv.stream().map(SystemdEscape::execArg).collect(Collectors.joining(" "));
    }

    public static String quotedWord(String s) {
        return quote(s, false);
    }

    public static String specifiers(String s) {
        requireNoControl(s, "value");
        return s.replace("%", "%%");
    }

    public static String envFileValue(String s) {
        requireNoNewline(s, "environment value");
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c == '`' || c == '$') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static String quote(String s, boolean dollars) {
        requireNoNewline(s, "argument");
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '%' -> sb.append("%%");
                case '$' -> sb.append(dollars ? "$$" : "$");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\x%02x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    static void requireNoNewline(String s, String what) {
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must not contain a newline, carriage return or NUL: " + abbreviate(s));
        }
    }

    static void requireNoControl(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(what + " must not contain control characters: " + abbreviate(s));
            }
        }
    }

    private static String abbreviate(String s) {
        String t = s.replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0");
        return t.length() > 60 ? t.substring(0, 60) + "..." : t;
    }
}
