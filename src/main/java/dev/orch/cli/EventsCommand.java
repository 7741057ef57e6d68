package dev.orch.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.orch.api.EventItem;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "events", description = "List recent events of all apps (or one), oldest first.")
public class EventsCommand implements Callable<Integer> {
    @Option(names = "--app", paramLabel = "NAME", description = "Only this app's events.")
    String app;

    @Option(names = "--since", paramLabel = "DURATION", description = "Only events newer than this, e.g. 10m, 1h.")
    String since;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), yaml or json")
    String output = "table";

    @Override
    public Integer call() {
        if (!List.of("table", "yaml", "json").contains(output)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "invalid --output \"" + output + "\": use table, yaml or json");
        }
        Instant now = Clock.systemUTC().instant();
        StringBuilder q = new StringBuilder();
        if (app != null) {
            q.append("app=").append(URLEncoder.encode(app, StandardCharsets.UTF_8));
        }
        if (since != null) {
            q.append(q.isEmpty() ? "" : "&").append("since=").append(now.minus(RolloutCommand.Durations.parse(since)));
        }
        try (ApiClient api = ApiClient.connect()) {
            List<EventItem> events = api.get("/api/v1/events" + (q.isEmpty() ? "" : "?" + q), new TypeReference<List<EventItem>>() {});
            if (!output.equals("table")) {
                System.out.print(Output.format(events, output));
                return 0;
            }
            if (events.isEmpty()) {
                System.err.println("No events found.");
                return 0;
            }
            System.out.print(render(events, now));
            return 0;
        }
    }

    /** kubectl events' columns. */
    static String render(List<EventItem> events, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"});
        for (EventItem e : events) {
            rows.add(new String[] {AppTable.age(Duration.between(e.time(), now)), e.type(), e.reason() == null ? "" : e.reason(),
                "app/" + e.app(), e.message() == null ? "" : e.message()});
        }
        return Tables.align(rows);
    }
}
