package dev.orch.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.orch.api.AppStatus;
import dev.orch.api.AppSummary;
import dev.orch.notify.ReceiverStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "get", description = "Display apps: get apps | get app NAME.")
public class GetCommand implements Callable<Integer> {
    static final List<String> TYPES = List.of("apps", "app", "deployments", "deployment", "deploy");
    /** Notification receivers (docs/notifications.md). */
    static final List<String> NOTIFICATIONS = List.of("notifications", "notification");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TYPE", description = "apps (or app, deployment, deploy)")
    String type;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), wide, yaml or json")
    String output = "table";

    @Option(names = {"-w", "--watch"}, description = "After listing, watch for changes and print each changed row (table and wide).")
    boolean watch;

    @Option(names = "--watch-interval", hidden = true, defaultValue = "1s", description = "How often --watch asks orchd.")
    String watchInterval;

    @Override
    public Integer call() throws InterruptedException {
        if (!TYPES.contains(type.toLowerCase(Locale.ROOT)) && !NOTIFICATIONS.contains(type.toLowerCase(Locale.ROOT))) {
            throw new ParameterException(spec.commandLine(), "unknown resource type \"" + type + "\": use apps or notifications");
        }
        if (!List.of("table", "wide", "yaml", "json").contains(output)) {
            throw new ParameterException(spec.commandLine(), "invalid --output \"" + output + "\": use table, wide, yaml or json");
        }
        if (watch && (output.equals("yaml") || output.equals("json"))) {
            throw new ParameterException(spec.commandLine(), "--watch prints tables: use -o table or -o wide");
        }
        boolean wide = output.equals("wide");
        if (NOTIFICATIONS.contains(type.toLowerCase(Locale.ROOT))) {
            return notifications();
        }
        try (ApiClient api = ApiClient.connect()) {
            if (name != null && !watch) {
                AppStatus status = api.get("/api/v1/apps/" + name, AppStatus.class);
                if (output.equals("yaml") || output.equals("json")) {
                    System.out.print(Output.format(status, output));
                    return 0;
                }
                System.out.print(AppTable.render(List.of(status.summary()), Clock.systemUTC().instant(), wide));
                return 0;
            }
            List<AppSummary> apps = list(api);
            if (output.equals("yaml") || output.equals("json")) {
                System.out.print(Output.format(apps, output));
                return 0;
            }
            if (apps.isEmpty() && !watch) {
                System.err.println(name == null ? "No resources found." : "app \"" + name + "\" not found");
                return name == null ? 0 : Cli.EXIT_FAILURE;
            }
            String table = AppTable.render(apps, Clock.systemUTC().instant(), wide);
            System.out.print(table);
            if (!watch) {
                return 0;
            }
            watch(api, apps, table, wide);
            return 0;
        }
    }

    private int notifications() {
        if (watch) {
            throw new ParameterException(spec.commandLine(), "--watch lists apps only");
        }
        try (ApiClient api = ApiClient.connect()) {
            List<ReceiverStatus> all = api.get("/api/v1/notifications", new TypeReference<List<ReceiverStatus>>() {});
            List<ReceiverStatus> shown = name == null ? all : all.stream().filter(r -> r.name().equals(name)).toList();
            if (output.equals("yaml") || output.equals("json")) {
                System.out.print(Output.format(shown, output));
            } else if (shown.isEmpty()) {
                System.err.println(name == null ? "No resources found." : "notification receiver \"" + name + "\" not found");
                return name == null ? 0 : Cli.EXIT_FAILURE;
            } else {
                System.out.print(NotificationsTable.render(shown, Clock.systemUTC().instant()));
            }
            return 0;
        }
    }

    private List<AppSummary> list(ApiClient api) {
        List<AppSummary> all = api.get("/api/v1/apps", new TypeReference<List<AppSummary>>() {});
        return name == null ? all : all.stream().filter(a -> a.name().equals(name)).toList();
    }

    /**
     * kubectl's watch: the first table stays, then one line per changed app in the same columns (AGE alone
     * ticking is not a change). Runs until interrupted.
     */
    private void watch(ApiClient api, List<AppSummary> first, String table, boolean wide) throws InterruptedException {
        int[] widths = Arrays.stream(table.split("\n")[0].split("(?<=\\s)(?=\\S)")).mapToInt(String::length).toArray();
        Map<String, String> seen = new HashMap<>();
        first.forEach(a -> seen.put(a.name(), key(a, wide)));
        long sleep = RolloutCommand.Durations.parse(watchInterval).toMillis();
        while (true) {
            Thread.sleep(sleep);
            List<AppSummary> now = list(api);
            List<String> present = new ArrayList<>();
            for (AppSummary a : now) {
                present.add(a.name());
                String k = key(a, wide);
                if (!k.equals(seen.put(a.name(), k))) {
                    System.out.println(Tables.pad(AppTable.row(a, Clock.systemUTC().instant(), wide), widths));
                }
            }
            for (String gone : new ArrayList<>(seen.keySet())) {
                if (!present.contains(gone)) {
                    seen.remove(gone);
                    String[] row = new String[widths.length];
                    Arrays.fill(row, "");
                    row[0] = gone;
                    row[4] = "Deleted";
                    System.out.println(Tables.pad(row, widths));
                }
            }
            System.out.flush();
        }
    }

    private static String key(AppSummary a, boolean wide) {
        String[] r = AppTable.row(a, java.time.Instant.EPOCH, wide);
        r[5] = "";
        return String.join("\u0000", r);
    }
}
