package dev.orch.metrics;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads values out of Prometheus text exposition: the sum over series of a name whose labels include the given ones. */
final class Exposition {
    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");

    private Exposition() {}

    static OptionalDouble value(String text, String name, Map<String, String> labels) {
        double sum = 0;
        boolean found = false;
        for (String line : text.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (!m.find() || !m.group(1).equals(name)) {
                continue;
            }
            String ls = m.group(3) == null ? "" : m.group(3);
            boolean all = labels.entrySet().stream().allMatch(e -> ls.contains(e.getKey() + "=\"" + e.getValue() + "\""));
            if (all) {
                sum += Double.parseDouble(m.group(4));
                found = true;
            }
        }
        return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    static double valueOrZero(String text, String name, Map<String, String> labels) {
        return value(text, name, labels).orElse(0);
    }
}
