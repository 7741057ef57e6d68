package dev.orch.manifest;

/**
 * JSON is read by the YAML parser (so errors keep lines and columns), after two differences are smoothed
 * over without moving any token: tabs between tokens become spaces, and the JSON-only escape {@code \/}
 * becomes {@code /}, with the saved characters added as spaces after the string's closing quote.
 */
final class JsonAsYaml {
    private JsonAsYaml() {}

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
