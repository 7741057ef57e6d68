package dev.orch.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.orch.api.AppStatus;
import dev.orch.api.AppSummary;
import dev.orch.state.Revision;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "describe", description = {"Show apps in detail: status, colors, rollout, conditions, revisions, events.",
    "describe app NAME... | describe app/NAME | describe NAME | describe apps (every app)"})
public class DescribeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "TYPE NAME", description = "app NAME..., app/NAME..., a bare NAME, or apps for every app")
    List<String> args;

    @Override
    public Integer call() {
        ResourceArgs target;
        try {
            target = ResourceArgs.parse(args);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (ApiClient api = ApiClient.connect()) {
            List<String> names = target.all()
                    ? api.get("/api/v1/apps", new TypeReference<List<AppSummary>>() {}).stream().map(AppSummary::name).toList()
                    : target.names();
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                AppStatus status = api.get("/api/v1/apps/" + name, AppStatus.class);
                List<Revision> revisions = status.desired() == null ? List.of()
                        : api.get("/api/v1/apps/" + name + "/history", new TypeReference<List<Revision>>() {});
                System.out.print((i > 0 ? "\n\n" : "") + AppDescription.render(status, revisions, Clock.systemUTC().instant()));
            }
            return 0;
        }
    }
}
