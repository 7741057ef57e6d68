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

@Command(name = "get", description = {"Display apps: get apps | get app NAME... | get app/NAME | get NAME; notification receivers: get notifications [NAME];"
    + " this host: get host | get placement.",
    "get apps --context a,b,c (or --all-contexts) prints the apps of several orchd in one table with a HOST column.",
    "-o yaml|json prints each app as its manifest (as it would be applied) plus a status section; apply -f takes it back."})
public class GetCommand implements Callable<Integer> {
    static final List<String> TYPES = ResourceArgs.TYPES;
    /** Notification receivers (docs/notifications.md). */
    static final List<String> NOTIFICATIONS = List.of("notifications", "notification");

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "TYPE NAME", description = "apps, app NAME..., app/NAME... or a bare NAME"
            + " (app, apps, deployment, deploy are the same type)")
    List<String> args;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), wide, name, yaml or json")
    String output = "table";

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR",
            description = "Only apps whose manifest labels match, e.g. -l tier=web,env!=dev (=, ==, !=, key, !key).")
    String selector;

    @Option(names = "--all-contexts", description = "get apps: every context of the client config file, in one table with a HOST column.")
    boolean allContexts;

    @Option(names = "--no-headers", description = "Print tables without the header line.")
    boolean noHeaders;

    @Option(names = {"-w", "--watch"}, description = "After listing, watch for changes and print each changed row (table and wide).")
    boolean watch;

    @Option(names = "--watch-interval", hidden = true, defaultValue = "1s", description = "How often --watch asks orchd.")
    String watchInterval;

    /** The recipient new values are sealed to (age1...), alone on a line so {@code age -r "$(...)"} can use it. */
    private Integer sealingKey() {
        try (ApiClient api = ApiClient.connect()) {
            var keys = api.get("/api/v1/sealing-keys", new com.fasterxml.jackson.core.type.TypeReference<
                    java.util.List<dev.orch.api.SealingKeysResource.KeyInfo>>() {});
            if (keys.isEmpty()) {
                throw new CliException("orchd has no sealing key yet");
            }
            System.out.println(keys.get(keys.size() - 1).recipient());
        }
        return 0;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (args != null && !args.isEmpty() && NOTIFICATIONS.contains(args.get(0).toLowerCase(Locale.ROOT))) {
            return notifications(args.size() > 1 ? args.get(1) : null);
        }
        if (args != null && !args.isEmpty() && SealCommand.SEALING_KEY.contains(args.get(0).toLowerCase(Locale.ROOT))) {
            return sealingKey();
        }
        if (args != null && args.size() == 1 && List.of("host", "placement").contains(args.get(0).toLowerCase(Locale.ROOT))) {
            return HostTables.print(args.get(0).toLowerCase(Locale.ROOT), output, spec);
        }
        String ctx = RemoteServer.Flags.context;
        boolean fleet = allContexts || (ctx != null && ctx.contains(","));
        ResourceArgs target;
        LabelSelector labels;
        try {
            target = ResourceArgs.parse(args);
            labels = selector == null ? null : LabelSelector.parse(selector);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!List.of("table", "wide", "name", "yaml", "json").contains(output)) {
            throw new ParameterException(spec.commandLine(), "invalid --output \"" + output + "\": use table, wide, name, yaml or json");
        }
        if (watch && !output.equals("table") && !output.equals("wide")) {
            throw new ParameterException(spec.commandLine(), "--watch prints tables: use -o table or -o wide");
        }
        if (labels != null && !target.all()) {
            throw new ParameterException(spec.commandLine(), "name cannot be provided when a selector is specified");
        }
        boolean wide = output.equals("wide");
        if (fleet) {
            if (!target.all() || watch || !(output.equals("table") || wide)) {
                throw new ParameterException(spec.commandLine(), "several contexts print one table of all apps: use 'get apps' with -o table or wide, without --watch");
            }
            List<FleetView.Member> members = FleetView.fetch(FleetView.contexts(ctx, allContexts));
            members.stream().filter(m -> m.error() != null).forEach(m -> System.err.println("context " + m.context() + ": " + m.error()));
            String table = FleetView.render(members, labels, Clock.systemUTC().instant(), wide);
            System.out.print(noHeaders ? table.substring(table.indexOf('\n') + 1) : table);
            return members.stream().anyMatch(m -> m.error() != null) ? Cli.EXIT_FAILURE : 0;
        }
        try (ApiClient api = ApiClient.connect()) {
            int[] missing = {0};
            List<AppSummary> apps = select(api, target, labels, missing);
            if (apps.isEmpty() && missing[0] > 0) {
                return Cli.EXIT_FAILURE;
            }
            if (apps.isEmpty() && !watch) {
                System.err.println("No resources found.");
                return 0;
            }
            switch (output) {
                case "name" -> apps.forEach(a -> System.out.println(ApplyCommand.KIND + "/" + a.name()));
                case "yaml" -> System.out.print(AppObjects.yaml(statuses(api, apps)));
                case "json" -> System.out.print(AppObjects.json(statuses(api, apps), !target.all() && target.names().size() == 1));
                default -> {
                    String table = AppTable.render(apps, Clock.systemUTC().instant(), wide);
                    System.out.print(noHeaders ? table.substring(table.indexOf('\n') + 1) : table);
                    if (watch) {
                        watch(api, target, labels, apps, table, wide);
                    }
                }
            }
            return missing[0] > 0 ? Cli.EXIT_FAILURE : 0;
        }
    }

    private int notifications(String name) {
        if (watch) {
            throw new ParameterException(spec.commandLine(), "--watch lists apps only");
        }
        if (!List.of("table", "yaml", "json").contains(output)) {
            throw new ParameterException(spec.commandLine(), "invalid --output \"" + output + "\" for notifications: use table, yaml or json");
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

    /**
     * The apps asked for, in the order asked. A named app that is missing is reported on stderr and counted in
     * {@code missing}; as kubectl does, the others are still printed and the command then fails.
     */
    private static List<AppSummary> select(ApiClient api, ResourceArgs target, LabelSelector labels, int[] missing) {
        List<AppSummary> all = api.get("/api/v1/apps", new TypeReference<List<AppSummary>>() {});
        if (target.all()) {
            return labels == null ? all : all.stream().filter(a -> labels.matches(a.labels())).toList();
        }
        Map<String, AppSummary> byName = new HashMap<>();
        all.forEach(a -> byName.put(a.name(), a));
        List<AppSummary> found = new ArrayList<>();
        for (String n : target.names()) {
            AppSummary a = byName.get(n);
            if (a == null) {
                System.err.println("Error from server (NotFound): app \"" + n + "\" not found");
                missing[0]++;
            } else {
                found.add(a);
            }
        }
        return found;
    }

    /** Full objects for -o yaml|json; an app deleted meanwhile (no desired state left) is skipped. */
    private static List<AppStatus> statuses(ApiClient api, List<AppSummary> apps) {
        return apps.stream().map(a -> api.get("/api/v1/apps/" + a.name(), AppStatus.class)).filter(s -> s.desired() != null).toList();
    }

    /**
     * kubectl's watch: the first table stays, then one line per changed app in the same columns (AGE alone
     * ticking is not a change). Runs until interrupted.
     */
    private void watch(ApiClient api, ResourceArgs target, LabelSelector labels, List<AppSummary> first, String table, boolean wide)
            throws InterruptedException {
        int[] widths = Arrays.stream(table.split("\n")[0].split("(?<=\\s)(?=\\S)")).mapToInt(String::length).toArray();
        Map<String, String> seen = new HashMap<>();
        first.forEach(a -> seen.put(a.name(), key(a, wide)));
        long sleep = RolloutCommand.Durations.parse(watchInterval).toMillis();
        while (true) {
            Thread.sleep(sleep);
            List<AppSummary> now = target.all() ? select(api, target, labels, new int[1])
                    : api.get("/api/v1/apps", new TypeReference<List<AppSummary>>() {}).stream().filter(a -> target.names().contains(a.name())).toList();
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
