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

    PlacementFile(Path file) {
        this.file = file;
    }

    boolean matches(Map<String, String> labels) {
        return text(labels).equals(read());
    }

    void write(Map<String, String> labels) throws IOException {
        if (!matches(labels)) {
            AtomicFiles.write(file, text(labels).getBytes(StandardCharsets.UTF_8));
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
