package dev.orch.source;

import dev.orch.state.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code <state>/git/<name>.placement}: the host labels ({@code k=v} lines, sorted) a repository's last sync was
 * planned for. Missing means no labels, so a host that never had labels is never planned twice.
 */
final class PlacementFile {
    private final Path file;
    /** The file's content, read once: only this class writes it, and labels change only at a restart. */
    private String content;

    PlacementFile(Path file) {
        this.file = file;
    }

    synchronized boolean matches(Map<String, String> labels) {
        if (content == null) {
            content = read();
        }
        return text(labels).equals(content);
    }

    synchronized void write(Map<String, String> labels) throws IOException {
        if (!matches(labels)) {
            String t = text(labels);
            AtomicFiles.write(file, t.getBytes(StandardCharsets.UTF_8));
            content = t;
        }
    }

    private String read() {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return ""; // unreadable: plan again, which changes nothing when the labels did not change
        }
    }

    private static String text(Map<String, String> labels) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(labels).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }
}
