package dev.orch.cli;

import dev.orch.api.LogSources;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Both colors' output, each line prefixed with its color (colored on a terminal). systemd driver: the journal
 * through {@code journalctl -u} (argv, no shell), merged by time; process driver: its log files.
 */
@Command(name = "logs", description = "Print an app's output from both colors (or --color), prefixed; -f follows.")
public class LogsCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted.")
    boolean follow;

    @Option(names = "--color", paramLabel = "blue|green", description = "Only this color.")
    String color;

    @Option(names = "--since", paramLabel = "DURATION", description = "Only lines newer than this, e.g. 10m (journal only).")
    String since;

    private final boolean tty = System.console() != null;

    @Override
    public Integer call() throws Exception {
        if (color != null && !color.equals("blue") && !color.equals("green")) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "invalid --color \"" + color + "\": use blue or green");
        }
        LogSources src;
        try (ApiClient api = ApiClient.connect()) {
            src = api.get("/api/v1/apps/" + name + "/logsources", LogSources.class);
        }
        List<LogSources.Source> chosen = src.sources().stream().filter(s -> color == null || s.color().equals(color)).toList();
        if (chosen.isEmpty()) {
            throw new CliException("app \"" + name + "\" runs nothing" + (color == null ? "" : " in " + color) + ", so there are no logs");
        }
        List<Thread> readers = new ArrayList<>();
        if (src.driver().equals("systemd")) {
            List<String> merged = new ArrayList<>();
            for (String c : List.of("blue", "green")) {
                List<String> cmd = new ArrayList<>(src.commandPrefix() == null ? List.of() : src.commandPrefix());
                cmd.addAll(List.of("journalctl", "--no-pager", "-o", "short-iso"));
                if (src.scope().equals("user")) {
                    cmd.add("--user");
                }
                if (since != null) {
                    cmd.add("--since=@" + Clock.systemUTC().instant().minus(RolloutCommand.Durations.parse(since)).getEpochSecond());
                }
                if (follow) {
                    cmd.add("-f");
                }
                boolean any = false;
                for (LogSources.Source s : chosen) {
                    if (s.color().equals(c)) {
                        cmd.add("-u");
                        cmd.add(s.unit());
                        any = true;
                    }
                }
                if (!any) {
                    continue;
                }
                Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                if (follow) {
                    readers.add(Thread.ofPlatform().start(() -> pump(p, c, null)));
                } else {
                    pump(p, c, merged);
                }
            }
            // short-iso lines start with the time: a stable sort interleaves both colors in time order
            merged.sort((x, y) -> x.substring(x.indexOf(' ') + 1).compareTo(y.substring(y.indexOf(' ') + 1)));
            merged.forEach(System.out::println);
        } else {
            for (LogSources.Source s : chosen) {
                for (String f : s.files()) {
                    Thread t = Thread.ofPlatform().start(() -> tail(Path.of(f), s.color()));
                    if (follow) {
                        readers.add(t);
                    } else {
                        t.join();
                    }
                }
            }
        }
        for (Thread t : readers) {
            t.join();
        }
        return 0;
    }

    private String prefix(String c) {
        if (!tty) {
            return "[" + c + "] ";
        }
        return (c.equals("blue") ? "\u001b[34m" : "\u001b[32m") + "[" + c + "]\u001b[0m ";
    }

    private void pump(Process p, String c, List<String> into) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("-- ")) {
                    continue; // journalctl's "-- No entries --" and boot markers
                }
                if (into != null) {
                    into.add(prefix(c) + line);
                } else {
                    synchronized (System.out) {
                        System.out.println(prefix(c) + line);
                    }
                }
            }
        } catch (IOException e) {
            throw new CliException("reading journalctl's output failed: " + e.getMessage(), e);
        }
    }

    /** Prints the file, then (with -f) what is appended, polling; files that do not exist yet are waited for. */
    private void tail(Path file, String c) {
        long pos = 0;
        StringBuilder partial = new StringBuilder();
        try {
            while (true) {
                if (Files.isReadable(file)) {
                    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
                        if (f.length() < pos) {
                            pos = 0; // truncated or replaced
                        }
                        f.seek(pos);
                        byte[] buf = new byte[(int) Math.min(f.length() - pos, 1 << 20)];
                        f.readFully(buf);
                        pos += buf.length;
                        partial.append(new String(buf, StandardCharsets.UTF_8));
                        int nl;
                        while ((nl = partial.indexOf("\n")) >= 0) {
                            String line = partial.substring(0, nl);
                            partial.delete(0, nl + 1);
                            synchronized (System.out) {
                                System.out.println(prefix(c) + line);
                            }
                        }
                    }
                } else if (Files.exists(file)) {
                    throw new CliException("cannot read " + file + ": permission denied; run as root or the daemon's user");
                }
                if (!follow) {
                    return;
                }
                Thread.sleep(250);
            }
        } catch (IOException e) {
            throw new CliException("reading " + file + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
