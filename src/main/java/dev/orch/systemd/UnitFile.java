package dev.orch.systemd;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A systemd unit file as data: leading comment lines, then sections in order, each with ordered (and possibly
 * repeated) keys. Values are stored already escaped for systemd (see {@link SystemdEscape}); the model only
 * guarantees the file stays well-formed (no newlines or NULs in values, valid section and key names).
 */
public record UnitFile(List<String> headerComments, List<Section> sections) {
    private static final Pattern SECTION_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

    public UnitFile {
        headerComments = List.copyOf(headerComments);
        sections = List.copyOf(sections);
        for (String c : headerComments) {
            SystemdEscape.requireNoControl(c, "comment");
        }
    }

    public record Entry(String key, String value) {
        public Entry {
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("invalid unit file key \"" + key + "\"");
            }
            SystemdEscape.requireNoControl(value, key);
            if (value.endsWith("\\")) {
                // a trailing backslash would continue the line in systemd's parser
                throw new IllegalArgumentException(key + " value must not end with a backslash");
            }
        }
    }

    public record Section(String name, List<Entry> entries) {
        public Section {
            if (!SECTION_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid unit file section \"" + name + "\"");
            }
            entries = List.copyOf(entries);
        }

        public List<String> values(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).map(Entry::value).toList();
        }

        public Optional<String> last(String key) {
            List<String> v = values(key);
            return v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
        }
    }

    public Optional<Section> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The file text: header comments, then each section separated by a blank line; always ends in a newline. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (String c : headerComments) {
            sb.append(c.isEmpty() ? "#" : "# " + c).append('\n');
        }
        for (Section s : sections) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append('[').append(s.name()).append("]\n");
            for (Entry e : s.entries()) {
                sb.append(e.key()).append('=').append(e.value()).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Reads the subset of the unit syntax orch writes (and enough of any hand-edited file to find its markers):
     * comments, sections, key=value lines. Continuation lines are joined. Values are returned raw (escaped).
     */
    public static UnitFile parse(String text) {
        List<String> header = new ArrayList<>();
        List<Section> sections = new ArrayList<>();
        String current = null;
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            while (line.endsWith("\\") && i + 1 < lines.length) {
                line = line.substring(0, line.length() - 1) + " " + lines[++i].strip();
            }
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#") || line.startsWith(";")) {
                if (current == null && sections.isEmpty()) {
                    header.add(line.substring(1).strip());
                }
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                if (current != null) {
                    sections.add(new Section(current, entries));
                }
                current = line.substring(1, line.length() - 1);
                entries = new ArrayList<>();
                continue;
            }
            int eq = line.indexOf('=');
            if (current == null || eq <= 0) {
                continue; // not something orch wrote; ignore rather than fail the whole listing
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (KEY.matcher(key).matches() && !value.endsWith("\\")) {
                entries.add(new Entry(key, value));
            }
        }
        if (current != null) {
            sections.add(new Section(current, entries));
        }
        return new UnitFile(header, sections);
    }

    /** Mutable builder so the renderer reads top to bottom like the file it produces. */
    public static final class Builder {
        private final List<String> header = new ArrayList<>();
        private final List<Section> sections = new ArrayList<>();
        private String current;
        private List<Entry> entries;

        public Builder comment(String line) {
            header.add(line);
            return this;
        }

        public Builder section(String name) {
            flush();
            current = name;
            entries = new ArrayList<>();
            return this;
        }

        public Builder add(String key, String value) {
            if (current == null) {
                throw new IllegalStateException("add() before section()");
            }
            entries.add(new Entry(key, value));
            return this;
        }

        public Builder add(String key, boolean value) {
            return add(key, value ? "yes" : "no");
        }

        public UnitFile build() {
            flush();
            return new UnitFile(header, sections);
        }

        private void flush() {
            if (current != null) {
                sections.add(new Section(current, entries));
                current = null;
            }
        }
    }

    public static Builder builder() {
        return new Builder();
    }
}
