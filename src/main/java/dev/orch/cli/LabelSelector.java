package dev.orch.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * kubectl's equality-based label selectors ({@code -l}): {@code key=value}, {@code key==value}, {@code key!=value},
 * {@code key} (present) and {@code !key} (absent), comma-separated, all of which must hold.
 */
record LabelSelector(List<Requirement> requirements) {
    private static final Pattern KEY = Pattern.compile("([a-z0-9A-Z.-]+/)?[a-zA-Z0-9]([a-zA-Z0-9_.-]*[a-zA-Z0-9])?");

    enum Op { EQUALS, NOT_EQUALS, EXISTS, NOT_EXISTS }

    record Requirement(String key, Op op, String value) {
        boolean matches(Map<String, String> labels) {
            return switch (op) {
                case EQUALS -> Objects.equals(labels.get(key), value);
                // as in Kubernetes: != also matches objects without the key
                case NOT_EQUALS -> !Objects.equals(labels.get(key), value);
                case EXISTS -> labels.containsKey(key);
                case NOT_EXISTS -> !labels.containsKey(key);
            };
        }
    }

    /** @throws IllegalArgumentException naming the part that is not a selector */
    static LabelSelector parse(String selector) {
        List<Requirement> out = new ArrayList<>();
        for (String raw : selector.split(",", -1)) {
            String part = raw.strip();
            Requirement r;
            if (part.startsWith("!")) {
                r = new Requirement(part.substring(1).strip(), Op.NOT_EXISTS, null);
            } else if (part.contains("!=")) {
                r = requirement(part, "!=", Op.NOT_EQUALS);
            } else if (part.contains("==")) {
                r = requirement(part, "==", Op.EQUALS);
            } else if (part.contains("=")) {
                r = requirement(part, "=", Op.EQUALS);
            } else {
                r = new Requirement(part, Op.EXISTS, null);
            }
            if (!KEY.matcher(r.key()).matches() || (r.value() != null && r.value().contains("="))) {
                throw new IllegalArgumentException("unable to parse requirement \"" + part + "\" of label selector \"" + selector
                        + "\": use key=value, key!=value, key or !key, separated by commas");
            }
            out.add(r);
        }
        return new LabelSelector(List.copyOf(out));
    }

    private static Requirement requirement(String part, String op, Op kind) {
        int i = part.indexOf(op);
        return new Requirement(part.substring(0, i).strip(), kind, part.substring(i + op.length()).strip());
    }

    boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels == null ? Map.of() : labels));
    }
}
