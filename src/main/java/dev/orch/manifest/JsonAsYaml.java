package dev.orch.manifest;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON is read by the YAML parser (so errors keep lines and columns), after two differences are smoothed
 * over without moving any token: tabs between tokens become spaces, and the JSON-only escape {@code \/}
 * becomes {@code /}, with the saved characters added as spaces after the string's closing quote. Only the
 * documents of a stream that are JSON are smoothed: a YAML document keeps its tabs (an error where YAML
 * refuses them, a character of the value inside a scalar).
 */
final class JsonAsYaml {
    /** A document marker: {@code ---} or {@code ...} at the start of a line, then a blank or the end of the line. */
    private static final Pattern MARKER = Pattern.compile("^(?:---|\\.\\.\\.)(?=[ \t\r\n]|$)", Pattern.MULTILINE);

    private JsonAsYaml() {}

    /**
     * Each document of the stream (split where YAML's scanner splits: at a marker in column 0, which no scalar
     * can hold) is adapted when its first token is {@code {} or {@code [}, and left as it is otherwise.
     */
    static String adaptJsonDocuments(String text) {
        StringBuilder out = new StringBuilder(text.length());
        Matcher m = MARKER.matcher(text);
        int start = 0;
        while (m.find()) {
            if (m.start() > start) {
                out.append(adaptIfJson(text.substring(start, m.start())));
            }
            out.append(m.group());
            start = m.end();
        }
        return out.append(adaptIfJson(text.substring(start))).toString();
    }

    private static String adaptIfJson(String document) {
        String t = document.stripLeading();
        return t.startsWith("{") || t.startsWith("[") ? adapt(document) : document;
    }

    static String adapt(String json) {
        StringBuilder out = new StringBuilder(json.length());
        boolean inString = false;
        int saved = 0;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (!inString) {
                out.append(c == '\t' ? ' ' : c);
                inString = c == '"';
            } else if (c == '\\' && i + 1 < json.length()) {
                char next = json.charAt(++i);
                if (next == '/') {
                    out.append('/');
                    saved++;
                } else {
                    out.append(c).append(next);
                }
            } else if (c == '"') {
                out.append(c).append(" ".repeat(saved));
                saved = 0;
                inString = false;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
