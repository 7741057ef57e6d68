package dev.orch.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.orch.api.AppStatus;
import dev.orch.api.AppSummary;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
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

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TYPE", description = "apps (or app, deployment, deploy)")
    String type;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default), wide, yaml or json")
    String output = "table";

    @Override
    public Integer call() {
        if (!TYPES.contains(type.toLowerCase(Locale.ROOT))) {
            throw new ParameterException(spec.commandLine(), "unknown resource type \"" + type + "\": use apps");
        }
        if (!List.of("table", "wide", "yaml", "json").contains(output)) {
            throw new ParameterException(spec.commandLine(), "invalid --output \"" + output + "\": use table, wide, yaml or json");
        }
        try (ApiClient api = ApiClient.connect()) {
            if (name != null) {
                AppStatus status = api.get("/api/v1/apps/" + name, AppStatus.class);
                if (output.equals("yaml") || output.equals("json")) {
                    System.out.print(Output.format(status, output));
                    return 0;
                }
                System.out.print(AppTable.render(List.of(status.summary()), Clock.systemUTC().instant()));
                return 0;
            }
            List<AppSummary> apps = api.get("/api/v1/apps", new TypeReference<List<AppSummary>>() {});
            if (output.equals("yaml") || output.equals("json")) {
                System.out.print(Output.format(apps, output));
                return 0;
            }
            if (apps.isEmpty()) {
                System.err.println("No resources found.");
                return 0;
            }
            System.out.print(AppTable.render(apps, Clock.systemUTC().instant()));
            return 0;
        }
    }
}
