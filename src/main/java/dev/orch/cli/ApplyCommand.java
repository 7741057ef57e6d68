package dev.orch.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.orch.api.ApplyResult;
import dev.orch.intake.Placement;
import dev.orch.manifest.LoadedManifest;
import dev.orch.manifest.Manifests;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "apply", description = "Apply manifests: create or update apps (validated locally first).")
public class ApplyCommand implements Callable<Integer> {
    static final String KIND = "deployment.orch.dev";

    @Spec
    CommandSpec spec;

    @Mixin
    ManifestArgs manifests;

    @Option(names = "--dry-run", arity = "0..1", fallbackValue = "client", paramLabel = "none|client|server",
            description = "client: validate here, no daemon needed; server: orchd validates and reports without applying.")
    String dryRun = "none";

    @Option(names = "--force-conflicts", description = "Apply even apps that a git repository defines; status shows the override until the next commit that changes them.")
    boolean forceConflicts;

    @Option(names = {"-o", "--output"}, paramLabel = "name|yaml|json", description = "Print the applied objects (with defaults) instead of results.")
    String output;

    @Option(names = "--host-labels", paramLabel = "K=V,...", description = "With --dry-run=client: what a host with these labels would run"
            + " (nodeSelector and nodeAffinity decide; spec.overrides applied); -o yaml prints it.")
    String hostLabels;

    @Override
    public Integer call() {
        String mode = dryRun.toLowerCase(Locale.ROOT);
        if (!List.of("none", "client", "server").contains(mode)) {
            throw new ParameterException(spec.commandLine(), "invalid --dry-run \"" + dryRun + "\": use none, client or server");
        }
        if (output != null && !List.of("name", "yaml", "json").contains(output)) {
            throw new ParameterException(spec.commandLine(), "invalid --output \"" + output + "\": use name, yaml or json");
        }
        java.util.Map<String, String> labels = null;
        if (hostLabels != null) {
            if (!mode.equals("client")) {
                throw new ParameterException(spec.commandLine(), "--host-labels previews a host: use it with --dry-run=client");
            }
            try {
                labels = dev.orch.config.HostIdentity.parseLabels(hostLabels);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage().replace("orch.host.labels=", "--host-labels "));
            }
        }
        List<LoadedManifest> loaded;
        try {
            loaded = manifests.load();
        } catch (ManifestArgs.InvalidManifests e) {
            System.err.println(e.getMessage());
            return Cli.EXIT_FAILURE;
        }
        if (mode.equals("client") && labels != null) {
            for (LoadedManifest m : loaded) {
                Placement.Decision p = Placement.decide(m.deployment(), labels);
                if (p.runs()) {
                    printObject(new LoadedManifest(p.effective(), m.file(), m.line()), "placed (dry run): " + p.reason());
                } else if (output == null) {
                    System.out.println(KIND + "/" + m.deployment().name() + " not placed (dry run): " + p.reason());
                }
            }
            return 0;
        }
        if (mode.equals("client")) {
            for (LoadedManifest m : loaded) {
                printObject(m, "created (dry run)");
            }
            return 0;
        }
        String body = yamlStream(loaded);
        try (ApiClient api = ApiClient.connect()) {
            ApiClient.Response r = api.ok(api.call(HttpMethod.POST, "/api/v1/apps" + (mode.equals("server") ? "?dryRun=true" : "")
                    + (forceConflicts ? (mode.equals("server") ? "&" : "?") + "force=true" : ""),
                    "application/yaml", Buffer.buffer(body)));
            List<ApplyResult> results = ApiClient.JSON.readValue(r.body().getBytes(), new TypeReference<List<ApplyResult>>() {});
            for (int i = 0; i < results.size(); i++) {
                printObject(loaded.get(i), results.get(i).result() + (mode.equals("server") ? " (server dry run)" : ""));
            }
            return 0;
        } catch (IOException e) {
            throw new CliException("orchd sent an unreadable answer: " + e.getMessage(), e);
        }
    }

    private void printObject(LoadedManifest m, String result) {
        if (output == null || output.equals("name")) {
            System.out.println(KIND + "/" + m.deployment().name() + (output == null ? " " + result : ""));
        } else if (output.equals("yaml")) {
            System.out.print(Manifests.toYaml(m.deployment())); // starts with its own "---"
        } else {
            System.out.println(Manifests.toJson(m.deployment()));
        }
    }

    static String yamlStream(List<LoadedManifest> loaded) {
        StringBuilder sb = new StringBuilder();
        for (LoadedManifest m : loaded) {
            sb.append(Manifests.toYaml(m.deployment())); // each document starts with "---"
        }
        return sb.toString();
    }
}
