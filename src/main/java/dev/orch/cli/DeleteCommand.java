package dev.orch.cli;

import dev.orch.manifest.LoadedManifest;
import io.vertx.core.http.HttpMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "delete", description = "Delete apps: delete app NAME... | delete -f FILE. Stops both colors, removes units and route.")
public class DeleteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TYPE NAME", arity = "0..*", description = "app NAME [NAME...]")
    List<String> args = new ArrayList<>();

    @ArgGroup(exclusive = false)
    ManifestArgs manifests;

    @Option(names = "--force-conflicts", description = "delete apps a git repository defines; they stay deleted until the next commit that changes them")
    boolean forceConflicts;

    @Override
    public Integer call() {
        List<String> names = new ArrayList<>();
        if (manifests != null) {
            for (LoadedManifest m : manifests.load()) {
                names.add(m.deployment().name());
            }
        } else {
            if (args.size() < 2 || !GetCommand.TYPES.contains(args.get(0).toLowerCase(Locale.ROOT))) {
                throw new ParameterException(spec.commandLine(), "give app NAME... or -f FILE");
            }
            names.addAll(args.subList(1, args.size()));
        }
        try (ApiClient api = ApiClient.connect()) {
            for (String name : names) {
                api.ok(api.call(HttpMethod.DELETE, "/api/v1/apps/" + name + (forceConflicts ? "?force=true" : ""), null, null));
                System.out.println(ApplyCommand.KIND + "/" + name + " deleted");
            }
        }
        return 0;
    }
}
