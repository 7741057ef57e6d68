package dev.orch.cli;

import dev.orch.systemd.LogPump;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The process driver's log files of the chosen colors, read as one stream ordered by the time stamp on each line
 * (what the journal does for units): {@code --since} drops older lines, {@code --tail N} keeps the last N of all
 * files together, and following polls every file and prints what arrived in time order.
 */
final class ProcessLogFiles {
    /** One line of one file; {@code time} is the line's stamp, or the previous line's for a line without one. */
    record Entry(Instant time, String color, String text) {}

    private static final Comparator<Entry> BY_TIME = Comparator.comparing(Entry::time);

    private final List<FileCursor> files = new ArrayList<>();

    void add(Path file, String color) {
        files.add(new FileCursor(file, color));
    }

    /**
     * Everything written so far, oldest first: lines older than {@code since} (when given) dropped, then the last
     * {@code tail} lines (-1: all).
     */
    List<Entry> initial(Instant since, int tail) throws IOException {
        List<Entry> all = new ArrayList<>();
        for (FileCursor f : files) {
            all.addAll(f.readNew(since, tail)); // the last N overall are among the last N of each file
        }
        all.sort(BY_TIME); // stable: a file's own order stays for equal times
        return tail >= 0 && all.size() > tail ? all.subList(all.size() - tail, all.size()) : all;
    }

    /** Prints what each file gained since the last read, merged by time, every {@code pollMillis} until interrupted. */
    void follow(Consumer<Entry> out, long pollMillis) throws IOException, InterruptedException {
        while (!Thread.currentThread().isInterrupted()) {
            Thread.sleep(pollMillis);
            List<Entry> batch = new ArrayList<>();
            for (FileCursor f : files) {
                batch.addAll(f.readNew(null, -1));
            }
            batch.sort(BY_TIME);
            batch.forEach(out);
        }
    }

    /** A read position in one file; a file that does not exist yet is waited for, a truncated one read anew. */
    private static final class FileCursor {
        private final Path file;
        private final String color;
        private long pos;
        /** Bytes after the last newline: a line still being written (split as bytes, so UTF-8 stays whole). */
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();
        private Instant last = Instant.EPOCH;

        FileCursor(Path file, String color) {
            this.file = file;
            this.color = color;
        }

        List<Entry> readNew(Instant since, int tail) throws IOException {
            if (!Files.exists(file)) {
                return List.of();
            }
            if (!Files.isReadable(file)) {
                throw new CliException("cannot read " + file + ": permission denied; run as root or the daemon's user");
            }
            ArrayDeque<Entry> lines = new ArrayDeque<>();
            try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                if (f.length() < pos) {
                    pos = 0;
                    partial.reset();
                }
                f.seek(pos);
                while (pos < f.length()) {
                    byte[] buf = new byte[(int) Math.min(f.length() - pos, 1 << 20)];
                    f.readFully(buf);
                    pos += buf.length;
                    int start = 0;
                    for (int i = 0; i < buf.length; i++) {
                        if (buf[i] != '\n') {
                            continue;
                        }
                        partial.write(buf, start, i - start);
                        start = i + 1;
                        LogPump.Line l = LogPump.Line.parse(partial.toString(StandardCharsets.UTF_8));
                        partial.reset();
                        last = l.time().orElse(last);
                        if (since != null && last.isBefore(since)) {
                            continue;
                        }
                        lines.add(new Entry(last, color, l.text()));
                        if (tail >= 0 && lines.size() > tail) {
                            lines.removeFirst(); // bounded: a big file is not held whole for --tail
                        }
                    }
                    partial.write(buf, start, buf.length - start);
                }
            }
            return new ArrayList<>(lines);
        }
    }
}
