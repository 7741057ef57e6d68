package dev.orch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orch.api.LogSources;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Both colors' output, each line prefixed with its color (colored on a terminal). systemd driver: one
 * {@code journalctl -o json} over every unit (argv, no shell), so the journal itself interleaves both colors by time,
 * followed or not; process driver: its log files, whose lines orchd stamps with their time, merged by that time
 * ({@link ProcessLogFiles}).
 */
@Command(name = "logs", description = "Print an app's output from both colors (or --color), prefixed; -f follows.")
public class LogsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new lines until interrupted.")
    boolean follow;

    @Option(names = "--color", paramLabel = "blue|green", description = "Only this color.")
    String color;

    @Option(names = "--since", paramLabel = "DURATION", description = "Only lines newer than this, e.g. 10m.")
    String since;

    @Option(names = "--tail", paramLabel = "N", defaultValue = "-1",
            description = "Only the last N lines of both colors together; -1, the default, prints all.")
    int tail;

    @Option(names = "--timestamps", description = "Start each line with its time (RFC 3339).")
    boolean timestamps;

    private final boolean tty = System.console() != null;

    @Override
    public Integer call() throws Exception {
        if (color != null && !color.equals("blue") && !color.equals("green")) {
            throw new ParameterException(spec.commandLine(), "invalid --color \"" + color + "\": use blue or green");
        }
        if (tail < -1) {
            throw new ParameterException(spec.commandLine(), "invalid --tail " + tail + ": use 0 or more, or -1 for all");
        }
        LogSources src;
        try (ApiClient api = ApiClient.connect()) {
            src = api.get("/api/v1/apps/" + name + "/logsources", LogSources.class);
        }
        List<LogSources.Source> chosen = src.sources().stream().filter(s -> color == null || s.color().equals(color)).toList();
        if (chosen.isEmpty()) {
            throw new CliException("app \"" + name + "\" runs nothing" + (color == null ? "" : " in " + color) + ", so there are no logs");
        }
        if (src.driver().equals("systemd")) {
            journal(src, chosen);
            return 0;
        }
        files(chosen);
        return 0;
    }

    private void journal(LogSources src, List<LogSources.Source> chosen) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(src.commandPrefix() == null ? List.of() : src.commandPrefix());
        cmd.addAll(List.of("journalctl", "--no-pager", "-o", "json", "--output-fields=MESSAGE,_SYSTEMD_UNIT,_SYSTEMD_USER_UNIT"));
        if (src.scope().equals("user")) {
            cmd.add("--user");
        }
        if (since != null) {
            cmd.add("--since=@" + Clock.systemUTC().instant().minus(RolloutCommand.Durations.parse(since)).getEpochSecond());
        }
        if (tail >= 0) {
            cmd.add("--lines=" + tail);
        }
        if (follow) {
            cmd.add("--follow");
        }
        Map<String, String> colorOfUnit = new HashMap<>();
        for (LogSources.Source s : chosen) {
            cmd.add("--unit=" + s.unit());
            colorOfUnit.put(s.unit().endsWith(".service") ? s.unit() : s.unit() + ".service", s.color());
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode e = ApiClient.JSON.readTree(line);
                String unit = e.path("_SYSTEMD_UNIT").asText(e.path("_SYSTEMD_USER_UNIT").asText(""));
                String c = colorOfUnit.getOrDefault(unit, "?");
                String time = timestamps ? micros(e.path("__REALTIME_TIMESTAMP").asText("0")) + " " : "";
                System.out.println(prefix(c) + time + message(e.path("MESSAGE")));
                if (follow) {
                    System.out.flush();
                }
            }
        }
        int code = p.waitFor();
        if (code != 0 && !follow) {
            throw new CliException("journalctl exited with " + code);
        }
    }

    /** The journal keeps non-UTF-8 messages as byte arrays. */
    private static String message(JsonNode m) {
        if (m.isArray()) {
            byte[] b = new byte[m.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) m.get(i).asInt();
            }
            return new String(b, StandardCharsets.UTF_8).stripTrailing();
        }
        return m.asText("");
    }

    private static String micros(String usec) {
        long u = Long.parseLong(usec);
        return Instant.ofEpochSecond(u / 1_000_000, (u % 1_000_000) * 1_000).toString();
    }

    private String prefix(String c) {
        if (!tty) {
            return "[" + c + "] ";
        }
        return (c.equals("blue") ? "\u001b[34m" : "\u001b[32m") + "[" + c + "]\u001b[0m ";
    }

    /** The process driver: every file of the chosen colors as one stream in time order, like the journal. */
    private void files(List<LogSources.Source> chosen) throws IOException, InterruptedException {
        ProcessLogFiles files = new ProcessLogFiles();
        for (LogSources.Source s : chosen) {
            for (String f : s.files()) {
                files.add(Path.of(f), s.color());
            }
        }
        Instant from = since == null ? null : Clock.systemUTC().instant().minus(RolloutCommand.Durations.parse(since));
        files.initial(from, tail).forEach(this::print);
        System.out.flush();
        if (follow) {
            files.follow(e -> {
                print(e);
                System.out.flush();
            }, 250);
        }
    }

    private void print(ProcessLogFiles.Entry e) {
        System.out.println(prefix(e.color()) + (timestamps ? e.time() + " " : "") + e.text());
    }
}
