package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One problem in a manifest, located like a compiler error. Its text never holds a control character: a field name,
 * value or file name that carries one (newline, ESC, BEL, a bidi override) is written escaped, so one error is
 * always one line and a manifest cannot fake error lines or send sequences to a terminal.
 *
 * @param file the source as given to the loader (a path, {@code <stdin>}, or an API source name)
 * @param line 1-based line
 * @param column 1-based column
 * @param field dotted field path such as {@code spec.template.env[2].name}; empty for problems of the file
 *     itself (YAML syntax, size and nesting limits)
 * @param message what is wrong and what is allowed
 */
@RegisterForReflection
public record ManifestError(String file, int line, int column, String field, String message) {
    public ManifestError {
        file = printable(file);
        field = field == null ? "" : printable(field);
        message = printable(message);
    }

    /**
     * The text with control, format and line-separator characters escaped: {@code \n}, {@code \r}, {@code \t},
     * {@code \0}, {@code \xHH} below U+0100, a backslash, u and four hex digits above. Text without them is returned as it is, so
     * escaping twice changes nothing.
     */
    public static String printable(String text) {
        if (text == null || text.codePoints().noneMatch(ManifestError::unprintable)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            if (!unprintable(c)) {
                out.appendCodePoint(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == 0) {
                out.append("\\0");
            } else if (c < 0x100) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.append(String.format("\\u%04x", c));
            }
        });
        return out.toString();
    }

    private static boolean unprintable(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE -> true;
            default -> false;
        };
    }

    /** {@code FILE:LINE:COL: field.path: message}, or {@code FILE:LINE:COL: message} when there is no field. */
    @Override
    public String toString() {
        String where = file + ":" + line + ":" + column + ": ";
        return field.isEmpty() ? where + message : where + field + ": " + message;
    }
}
