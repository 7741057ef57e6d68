package dev.orch.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.orch.api.AuditItem;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "audit", description = "Search the audit log (rotated files too), oldest first: who changed what, and why.")
public class AuditCommand implements Callable<Integer> {
    @Option(names = "--app", paramLabel = "NAME", description = "Only this app's entries.")
    String app;

    @Option(names = "--since", paramLabel = "T", description = "Only entries newer than a duration (10m, 1h) or at or after an instant (2026-05-01T12:00:00Z).")
    String since;

    @Option(names = "--source", paramLabel = "SOURCE", description = "git, api or controller: where the change came from.")
    String source;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), yaml or json")
    String output = "table";

    @Override
    public Integer call() {
        if (!List.of("table", "yaml", "json").contains(output)) {
            throw new ParameterException(new picocli.CommandLine(this), "invalid --output \"" + output + "\": use table, yaml or json");
        }
        if (source != null && !List.of("git", "api", "controller").contains(source)) {
            throw new ParameterException(new picocli.CommandLine(this), "invalid --source \"" + source + "\": use git, api or controller");
        }
        StringBuilder q = new StringBuilder();
        add(q, "app", app);
        add(q, "since", since == null ? null : instant(since, Clock.systemUTC().instant()).toString());
        add(q, "source", source);
        try (ApiClient api = ApiClient.connect()) {
            List<AuditItem> entries = api.get("/api/v1/audit" + (q.isEmpty() ? "" : "?" + q), new TypeReference<List<AuditItem>>() {});
            if (!output.equals("table")) {
                System.out.print(Output.format(entries, output));
                return 0;
            }
            if (entries.isEmpty()) {
                System.err.println("No audit entries found.");
                return 0;
            }
            System.out.print(render(entries));
            return 0;
        }
    }

    /** A duration back from now, or an ISO-8601 instant. */
    static Instant instant(String since, Instant now) {
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            return now.minus(RolloutCommand.Durations.parse(since));
        }
    }

    static String render(List<AuditItem> entries) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TIME", "APP", "ACTION", "SOURCE", "ACTOR", "CAUSE", "DETAILS"});
        for (AuditItem e : entries) {
            StringBuilder details = new StringBuilder();
            for (Map.Entry<String, String> d : (e.details() == null ? Map.<String, String>of() : e.details()).entrySet()) {
                details.append(details.isEmpty() ? "" : " ").append(d.getKey()).append('=').append(d.getValue());
            }
            rows.add(new String[] {e.time().toString(), e.app() == null ? "-" : e.app(), e.action(), e.source(), or(e.actor()), or(e.cause()), details.toString()});
        }
        return Tables.align(rows);
    }

    private static String or(String s) {
        return s == null ? "-" : s;
    }

    private static void add(StringBuilder q, String key, String value) {
        if (value != null) {
            q.append(q.isEmpty() ? "" : "&").append(key).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
