package dev.orch.systemd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Copies a child's stdout or stderr into its log file, one line at a time, each line stamped with the time it
 * arrived, as the journal does for units. The stamps are what let {@code orchctl logs} merge both colors by time
 * and honour {@code --since} under the process driver. Lines longer than {@link #LINE_MAX} are split, like
 * journald's {@code LineMax=}; a last line without a newline is kept when the stream ends.
 */
public final class LogPump implements Runnable {
    private static final Logger LOG = Logger.getLogger(LogPump.class);
    /** journald's default {@code LineMax=}. */
    static final int LINE_MAX = 48 * 1024;
    /** Fixed width (always six fraction digits), so a stamp ends at the first space and files sort as text. */
    public static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final InputStream in;
    private final Path file;
    private final Clock clock;

    public LogPump(InputStream in, Path file, Clock clock) {
        this.in = in;
        this.file = file;
        this.clock = clock;
    }

    /** Starts a virtual thread that pumps until the child closes the stream. */
    public static void start(InputStream in, Path file, String name) {
        Thread.ofVirtual().name(name).start(new LogPump(in, file, Clock.systemUTC()));
    }

    @Override
    public void run() {
        try (InputStream src = in;
                OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
            byte[] line = new byte[LINE_MAX];
            int len = 0;
            byte[] buf = new byte[8192];
            int n;
            while ((n = src.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n' || len == LINE_MAX) {
                        write(out, line, len);
                        len = 0;
                        if (b == '\n') {
                            continue;
                        }
                    }
                    line[len++] = b;
                }
                out.flush();
            }
            if (len > 0) {
                write(out, line, len);
            }
        } catch (IOException e) {
            LOG.warnf("log %s: %s", file, e.getMessage());
        }
    }

    private void write(OutputStream out, byte[] line, int len) throws IOException {
        out.write((STAMP.format(clock.instant()) + " ").getBytes(StandardCharsets.US_ASCII));
        out.write(line, 0, len);
        out.write('\n');
    }

    /** A stamped line split into its time and text; a line without a stamp (written before stamps) has no time. */
    public record Line(Optional<Instant> time, String text) {
        public static Line parse(String raw) {
            int sp = raw.indexOf(' ');
            if (sp == 27) { // the stamp's fixed width
                try {
                    return new Line(Optional.of(Instant.from(STAMP.parse(raw.substring(0, sp)))), raw.substring(sp + 1));
                } catch (DateTimeParseException e) {
                    // not a stamp: the whole line is text
                }
            }
            return new Line(Optional.empty(), raw);
        }
    }
}
