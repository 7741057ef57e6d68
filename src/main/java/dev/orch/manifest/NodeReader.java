package dev.orch.manifest;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The small schema reader: typed access to a node tree that records every problem (with position and
 * field path) instead of stopping at the first. Readers return null when a value has the wrong type.
 */
final class NodeReader {
    /** Output stays bounded whatever the input: past this, the walk stops. */
    static final int MAX_ERRORS_PER_FILE = 100;

    private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.BOOL, Tag.FLOAT, Tag.NULL, Tag.MAP, Tag.SEQ);

    static final class TooManyErrors extends RuntimeException {
        TooManyErrors() {
            super(null, null, false, false);
        }
    }

    private final String file;
    private final List<ManifestError> errors;
    /** Nodes written with an explicit tag, by identity (see {@link YamlDocuments.Documents#tags()}). */
    private final Map<Node, String> tags;

    NodeReader(String file, List<ManifestError> errors, Map<Node, String> tags) {
        this.file = file;
        this.errors = errors;
        this.tags = tags;
    }

    int errorCount() {
        return errors.size();
    }

    void error(Mark at, String path, String message) {
        if (errors.size() >= MAX_ERRORS_PER_FILE) {
            errors.add(new ManifestError(file, at.getLine() + 1, at.getColumn() + 1, "",
                    "too many errors (more than " + MAX_ERRORS_PER_FILE + "); the rest of the file is not checked"));
            throw new TooManyErrors();
        }
        errors.add(new ManifestError(file, at.getLine() + 1, at.getColumn() + 1, path, message));
    }

    void error(Node at, String path, String message) {
        error(at.getStartMark(), path, message);
    }

    /** Absent, or an untagged null: {@code !!null x} is not null but a refused tag. */
    boolean isNull(Node node) {
        return node == null || (node instanceof ScalarNode s && Tag.NULL.equals(s.getTag()) && !tags.containsKey(node));
    }

    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        Tag tag = node.getTag();
        String value = node instanceof ScalarNode s ? s.getValue() : "";
        if (value.length() > 40) {
            value = value.substring(0, 37) + "...";
        }
        if (Tag.INT.equals(tag)) {
            return "an integer " + value;
        }
        if (Tag.FLOAT.equals(tag)) {
            return "a number " + value;
        }
        if (Tag.BOOL.equals(tag)) {
            return "a boolean " + value;
        }
        if (Tag.NULL.equals(tag)) {
            return "null";
        }
        return "a string \"" + value.replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0") + "\"";
    }

    /**
     * No explicit tag at all: a tag would override the field's own type rules ({@code !!bool yes} is not a boolean,
     * {@code !!int abc} not an integer), and the other tags ({@code !foo}, {@code !!binary}, {@code !!set}) name types
     * a manifest has not. Only what the untagged value resolves to (string, integer, boolean, null, mapping, list) is read.
     */
    private boolean plainTag(Node node, String path, String expected) {
        String written = tags.get(node);
        if (written == null && PLAIN_TAGS.contains(node.getTag())) {
            return true;
        }
        String tag = written != null ? written : shortTag(node.getTag().getValue());
        error(node, path, "tag " + tag + " is not allowed: expected " + expected + ", written without a tag");
        return false;
    }

    /** {@code tag:yaml.org,2002:binary} is written {@code !!binary} in YAML. */
    static String shortTag(String tag) {
        return tag.startsWith(Tag.PREFIX) ? "!!" + tag.substring(Tag.PREFIX.length()) : tag;
    }

    private void wrongType(Node node, String path, String expected) {
        String hint = "";
        if (node instanceof ScalarNode s) {
            boolean quoted = s.getScalarStyle() == DumperOptions.ScalarStyle.DOUBLE_QUOTED
                    || s.getScalarStyle() == DumperOptions.ScalarStyle.SINGLE_QUOTED;
            if (expected.equals("a string") && !Tag.NULL.equals(s.getTag()) && !Tag.STR.equals(s.getTag())) {
                hint = " (quote it: \"" + s.getValue() + "\")";
            } else if (quoted && (expected.startsWith("an integer") || expected.startsWith("a boolean"))) {
                hint = " (write it without quotes)";
            }
        }
        error(node, path, "expected " + expected + ", got " + describe(node) + hint);
    }

    /** A mapping with a fixed set of fields; unknown and duplicate fields are reported. */
    Obj object(Node node, Mark at, String path, List<String> allowed) {
        if (!plainTag(node, path, "a mapping")) {
            return null;
        }
        if (!(node instanceof MappingNode mapping)) {
            wrongType(node, path, "a mapping");
            return null;
        }
        Map<String, NodeTuple> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = key(tuple.getKeyNode(), path);
            if (key == null) {
                continue;
            }
            String keyPath = join(path, key);
            if (!allowed.contains(key)) {
                error(tuple.getKeyNode(), keyPath, UnknownField.message(key, allowed));
            } else if (fields.containsKey(key)) {
                error(tuple.getKeyNode(), keyPath, "duplicate field (first given at line "
                        + (fields.get(key).getKeyNode().getStartMark().getLine() + 1) + ")");
            } else {
                fields.put(key, tuple);
            }
        }
        return new Obj(this, at, path, fields);
    }

    /** A mapping with free string keys, in document order; duplicate keys are reported. */
    Map<String, NodeTuple> stringMap(Node node, String path) {
        if (!plainTag(node, path, "a mapping of strings to strings")) {
            return null;
        }
        if (!(node instanceof MappingNode mapping)) {
            wrongType(node, path, "a mapping of strings to strings");
            return null;
        }
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = key(tuple.getKeyNode(), path);
            if (key == null) {
                continue;
            }
            if (entries.containsKey(key)) {
                error(tuple.getKeyNode(), entryPath(path, key), "duplicate key");
            } else {
                entries.put(key, tuple);
            }
        }
        return entries;
    }

    private String key(Node keyNode, String path) {
        if (tags.containsKey(keyNode)) {
            error(keyNode, path, "tag " + tags.get(keyNode) + " is not allowed: expected a field name, written without a tag");
            return null;
        }
        if (keyNode instanceof ScalarNode s && PLAIN_TAGS.contains(s.getTag())) {
            if (s.getValue().equals("<<")) {
                error(keyNode, join(path, "<<"), "merge keys (<<) are not supported: write the fields out");
                return null;
            }
            return s.getValue();
        }
        error(keyNode, path, "field names must be plain strings, got " + describe(keyNode));
        return null;
    }

    List<Node> list(Node node, String path, String itemsDescription) {
        if (!plainTag(node, path, "a list of " + itemsDescription)) {
            return null;
        }
        if (!(node instanceof SequenceNode seq)) {
            wrongType(node, path, "a list of " + itemsDescription);
            return null;
        }
        return seq.getValue();
    }

    /** A string that may reach a unit or environment file: newline, CR and NUL are refused. */
    String string(Node node, String path) {
        if (!plainTag(node, path, "a string")) {
            return null;
        }
        if (!(node instanceof ScalarNode s) || !Tag.STR.equals(s.getTag())) {
            wrongType(node, path, "a string");
            return null;
        }
        String unsafe = Rules.safeText(s.getValue());
        if (unsafe != null) {
            error(node, path, unsafe);
            return null;
        }
        return s.getValue();
    }

    /** A multi-line string (armored ciphertext): only scalar type is checked; it never reaches a unit file. */
    String text(Node node, String path) {
        if (!plainTag(node, path, "a string")) {
            return null;
        }
        if (!(node instanceof ScalarNode s) || !Tag.STR.equals(s.getTag())) {
            wrongType(node, path, "a string");
            return null;
        }
        return s.getValue();
    }

    /** A list of strings, each checked like {@link #string}. */
    List<String> strings(Node node, String path) {
        List<Node> items = list(node, path, "strings");
        if (items == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < items.size(); i++) {
            String s = string(items.get(i), path + "[" + i + "]");
            ok &= s != null;
            out.add(s);
        }
        return ok ? out : null;
    }

    Long integer(Node node, String path) {
        if (!plainTag(node, path, "an integer")) {
            return null;
        }
        if (!(node instanceof ScalarNode s) || !Tag.INT.equals(s.getTag())) {
            wrongType(node, path, "an integer");
            return null;
        }
        BigInteger value = new BigInteger(s.getValue().startsWith("+") ? s.getValue().substring(1) : s.getValue());
        if (value.bitLength() > 40) {
            error(node, path, "integer " + s.getValue() + " is out of range");
            return null;
        }
        return value.longValue();
    }

    /** A number, integer or decimal (e.g. {@code 1} or {@code 0.5}). */
    Double decimal(Node node, String path) {
        if (!plainTag(node, path, "a number")) {
            return null;
        }
        if (!(node instanceof ScalarNode s) || !(Tag.INT.equals(s.getTag()) || Tag.FLOAT.equals(s.getTag()))) {
            wrongType(node, path, "a number");
            return null;
        }
        try {
            double v = Double.parseDouble(s.getValue());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        error(node, path, "\"" + s.getValue() + "\" is not a finite number");
        return null;
    }

    Boolean bool(Node node, String path) {
        if (!plainTag(node, path, "a boolean (true or false)")) {
            return null;
        }
        if (!(node instanceof ScalarNode s) || !Tag.BOOL.equals(s.getTag())) {
            wrongType(node, path, "a boolean (true or false)");
            return null;
        }
        return Boolean.valueOf(s.getValue());
    }

    /** A scalar of any plain type as written (quantities like {@code cpu: 1} or {@code cpu: 0.5}). */
    String scalarText(Node node, String path, String expected) {
        if (!plainTag(node, path, expected)) {
            return null;
        }
        if (!(node instanceof ScalarNode s) || Tag.NULL.equals(s.getTag()) || Tag.BOOL.equals(s.getTag())) {
            wrongType(node, path, expected);
            return null;
        }
        String unsafe = Rules.safeText(s.getValue());
        if (unsafe != null) {
            error(node, path, unsafe);
            return null;
        }
        return s.getValue();
    }

    /** A string, or a boolean read as its text ({@code ProtectSystem=true} is systemd's own value). */
    String stringOrBoolText(Node node, String path) {
        if (!plainTag(node, path, "a string")) {
            return null;
        }
        return node instanceof ScalarNode s && Tag.BOOL.equals(s.getTag()) ? s.getValue() : string(node, path);
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Map entries with keys that are not identifiers are written {@code labels["app.kubernetes.io/name"]}. */
    static String entryPath(String path, String key) {
        return key.matches("[A-Za-z_][A-Za-z0-9_-]*") ? join(path, key) : path + "[\"" + key + "\"]";
    }

    /** A mapping read against a fixed field list. */
    static final class Obj {
        private final NodeReader reader;
        final Mark at;
        final String path;
        private final Map<String, NodeTuple> fields;

        Obj(NodeReader reader, Mark at, String path, Map<String, NodeTuple> fields) {
            this.reader = reader;
            this.at = at;
            this.path = path;
            this.fields = fields;
        }

        String path(String key) {
            return join(path, key);
        }

        /** The value node, or null when absent or explicitly null. */
        Node node(String key) {
            NodeTuple t = fields.get(key);
            return t == null || reader.isNull(t.getValueNode()) ? null : t.getValueNode();
        }

        /** Where to report a problem with this field: its key when present, else this object's own position. */
        Mark mark(String key) {
            NodeTuple t = fields.get(key);
            return t == null ? at : t.getKeyNode().getStartMark();
        }

        boolean has(String key) {
            return node(key) != null;
        }

        boolean require(String key) {
            if (has(key)) {
                return true;
            }
            reader.error(mark(key), path(key), "required field is missing");
            return false;
        }

        String string(String key, String defaultValue) {
            Node n = node(key);
            return n == null ? defaultValue : reader.string(n, path(key));
        }

        /** An integer with a default, checked against {@code min..max}. */
        Integer integer(String key, Integer defaultValue, long min, long max, String rangeRule) {
            Node n = node(key);
            if (n == null) {
                return defaultValue;
            }
            Long v = reader.integer(n, path(key));
            if (v == null) {
                return null;
            }
            if (v < min || v > max) {
                reader.error(n, path(key), rangeRule + ", got " + v);
                return null;
            }
            return v.intValue();
        }

        /** A number with a default, checked against {@code min..max}. */
        Double decimal(String key, double defaultValue, double min, double max, String rangeRule) {
            Node n = node(key);
            if (n == null) {
                return defaultValue;
            }
            Double v = reader.decimal(n, path(key));
            if (v == null) {
                return null;
            }
            if (v < min || v > max) {
                reader.error(n, path(key), rangeRule + ", got " + s(v));
                return null;
            }
            return v;
        }

        private static String s(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }

        Integer port(String key) {
            return integer(key, null, 1, 65535, "must be a port between 1 and 65535");
        }

        boolean bool(String key, boolean defaultValue) {
            Node n = node(key);
            if (n == null) {
                return defaultValue;
            }
            Boolean b = reader.bool(n, path(key));
            return b == null ? defaultValue : b;
        }

        Obj object(String key, List<String> allowed) {
            Node n = node(key);
            return n == null ? null : reader.object(n, mark(key), path(key), allowed);
        }
    }
}
