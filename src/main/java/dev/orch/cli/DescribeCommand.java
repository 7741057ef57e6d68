package dev.orch.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.orch.api.AppStatus;
import dev.orch.state.Revision;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "describe", description = "Show an app in detail: status, colors, rollout, conditions, revisions, events.")
public class DescribeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TYPE", description = "app")
    String type;

    @Parameters(index = "1", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        if (!GetCommand.TYPES.contains(type.toLowerCase(Locale.ROOT))) {
            throw new ParameterException(spec.commandLine(), "unknown resource type \"" + type + "\": use app");
        }
        try (ApiClient api = ApiClient.connect()) {
            AppStatus status = api.get("/api/v1/apps/" + name, AppStatus.class);
            List<Revision> revisions = status.desired() == null ? List.of()
                    : api.get("/api/v1/apps/" + name + "/history", new TypeReference<List<Revision>>() {});
            System.out.print(AppDescription.render(status, revisions, Clock.systemUTC().instant()));
            return 0;
        }
    }
}
