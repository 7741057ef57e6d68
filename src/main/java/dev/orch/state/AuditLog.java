package dev.orch.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * {@code audit.log}, append-only JSON lines, rotated by size: once the next line would take the file past
 * {@code maxBytes}, it is renamed to {@code audit.log.<n>} (n = 1, 2, ... oldest first; one atomic rename, so no
 * entry is lost or copied twice) and a new {@code audit.log} begins. Rotated files are never deleted by orchd and
 * are read by every search, oldest first.
 */
final class AuditLog {
    static final String NAME = "audit.log";
    private static final Pattern ROTATED = Pattern.compile(Pattern.quote(NAME) + "\\.([1-9][0-9]{0,9})");
    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    private final Path dir;
    private final ObjectMapper mapper;
    private final ObjectWriter lineWriter;
    private final LineDecoder decoder;
    private final long maxBytes;

    /** Reads one complete line: the entry, or null when it cannot be used (the decoder logs why). */
    interface LineDecoder {
        AuditEntry decode(byte[] line, Path file, int number);
    }

    /** @param maxBytes rotate before a line would take the file past this size; 0 or less: never */
    AuditLog(Path dir, ObjectMapper mapper, LineDecoder decoder, long maxBytes) {
        this.dir = dir;
        this.mapper = mapper;
        this.lineWriter = mapper.writer();
        this.decoder = decoder;
        this.maxBytes = maxBytes;
    }

    Path current() {
        return dir.resolve(NAME);
    }

    synchronized void append(AuditEntry entry) throws IOException {
        ObjectNode node = mapper.createObjectNode();
        node.put(StateStore.SCHEMA_FIELD, StateStore.SCHEMA_VERSION);
        node.setAll((ObjectNode) mapper.valueToTree(entry));
        byte[] line = lineWriter.writeValueAsBytes(node);
        long size = sizeOf(current());
        if (maxBytes > 0 && size > 0 && size + line.length + 1 > maxBytes) {
            Path rotated = dir.resolve(NAME + "." + (lastRotated() + 1));
            Files.move(current(), rotated, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDirectory(dir);
            LOG.infof("Rotated %s to %s (orch.audit.max-file-size is %d bytes)", current(), rotated.getFileName(), maxBytes);
        }
        AtomicFiles.append(current(), line);
    }

    /** Every entry that {@code filter} accepts, oldest first, from the rotated files and then the current one. */
    List<AuditEntry> read(Predicate<AuditEntry> filter) throws IOException {
        List<AuditEntry> out = new ArrayList<>();
        for (Path file : files()) {
            List<byte[]> lines = AtomicFiles.readCompleteLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).length == 0) {
                    continue;
                }
                AuditEntry e = decoder.decode(lines.get(i), file, i + 1);
                if (e != null && filter.test(e)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** The rotated files in order, then {@code audit.log}. */
    List<Path> files() throws IOException {
        TreeMap<Long, Path> rotated = new TreeMap<>();
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, NAME + ".*")) {
            for (Path p : all) {
                Matcher m = ROTATED.matcher(p.getFileName().toString());
                if (m.matches()) {
                    rotated.put(Long.parseLong(m.group(1)), p);
                }
            }
        }
        List<Path> out = new ArrayList<>(rotated.values());
        out.add(current());
        return out;
    }

    private long lastRotated() throws IOException {
        List<Path> f = files();
        if (f.size() == 1) {
            return 0;
        }
        Matcher m = ROTATED.matcher(f.get(f.size() - 2).getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long sizeOf(Path p) throws IOException {
        try {
            return Files.size(p);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }
}
