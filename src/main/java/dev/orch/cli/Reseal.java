package dev.orch.cli;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Rewrites every {@code sealedValue} of a manifest file in place, leaving every other byte as it was (so the
 * git diff shows only the ciphertexts): a block scalar by a block scalar, any other by one double-quoted line.
 */
final class Reseal {
    record Result(String text, int count) {}

    private record Spot(int start, int end, int column, boolean literal, String app, String sealed) {}

    private Reseal() {}

    /** @param reseal (app, old ciphertext) to new ciphertext */
    static Result rewrite(String text, BiFunction<String, String, String> reseal) {
        List<Spot> spots = new ArrayList<>();
        for (Node doc : new Yaml(new LoaderOptions()).composeAll(new StringReader(text))) {
            String app = appName(doc);
            collect(doc, app, spots);
        }
        spots.sort(Comparator.comparingInt(Spot::start).reversed());
        StringBuilder out = new StringBuilder(text);
        for (Spot s : spots) {
            if (s.app() == null) {
                throw new CliException("a document with sealed values has no metadata.name");
            }
            String fresh = reseal.apply(s.app(), s.sealed());
            if (!s.literal()) {
                // a quoted or flow value stays one double-quoted line (a block scalar cannot sit in a flow mapping)
                out.replace(s.start(), s.end(), "\"" + fresh.strip().replace("\n", "\\n") + "\"");
                continue;
            }
            String block = block(fresh, s.column() + 2);
            boolean endsLine = s.end() > 0 && text.charAt(s.end() - 1) == '\n';
            out.replace(s.start(), s.end(), endsLine ? block : block.substring(0, block.length() - 1));
        }
        return new Result(out.toString(), spots.size());
    }

    /** {@code - name: X} / {@code sealedValue: |} item for an env list, as {@code seal --name} prints it. */
    static String envItem(String name, String armored) {
        return "- name: " + name + "\n  sealedValue: " + block(armored, 4);
    }

    private static String block(String armored, int indent) {
        StringBuilder b = new StringBuilder("|\n");
        for (String line : armored.strip().split("\n")) {
            b.append(" ".repeat(indent)).append(line).append('\n');
        }
        return b.toString();
    }

    private static String appName(Node doc) {
        Node meta = child(doc, "metadata");
        Node name = meta == null ? null : child(meta, "name");
        return name instanceof ScalarNode s ? s.getValue() : null;
    }

    private static Node child(Node n, String key) {
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return t.getValueNode();
                }
            }
        }
        return null;
    }

    private static void collect(Node n, String app, List<Spot> out) {
        if (n instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("sealedValue") && t.getValueNode() instanceof ScalarNode v) {
                    boolean block = v.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL || v.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED;
                    out.add(new Spot(v.getStartMark().getIndex(), v.getEndMark().getIndex(), k.getStartMark().getColumn(), block, app, v.getValue()));
                } else {
                    collect(t.getValueNode(), app, out);
                }
            }
        } else if (n instanceof SequenceNode s) {
            s.getValue().forEach(c -> collect(c, app, out));
        }
    }
}
