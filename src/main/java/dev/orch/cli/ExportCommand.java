package dev.orch.cli;

import dev.orch.config.HostIdentity;
import dev.orch.export.KubernetesExport;
import dev.orch.export.KubernetesYaml;
import dev.orch.intake.Placement;
import dev.orch.manifest.Deployment;
import dev.orch.manifest.LoadedManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "export", description = {"Export manifests to another system: export kubernetes -f DIR [-o DIR].",
    "Each app becomes an apps/v1 Deployment and a v1 Service (image from the export.orch.dev/image annotation); no daemon needed."})
public class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TARGET", description = "kubernetes")
    String target;

    @Mixin
    ManifestArgs manifests;

    @Option(names = {"-o", "--output-dir"}, paramLabel = "DIR", description = "Write <app>.yaml per app here (default: all to stdout).")
    Path outputDir;

    @Option(names = "--host-labels", paramLabel = "K=V,...", description = "Export what a host with these labels runs: its spec.overrides applied"
            + " (default: the manifests' own values).")
    String hostLabels;

    @Override
    public Integer call() {
        if (!target.equals("kubernetes")) {
            throw new ParameterException(spec.commandLine(), "unknown export target \"" + target + "\": use kubernetes");
        }
        Map<String, String> labels;
        try {
            labels = hostLabels == null ? null : HostIdentity.parseLabels(hostLabels);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage().replace("orch.host.labels=", "--host-labels "));
        }
        List<LoadedManifest> loaded;
        try {
            loaded = manifests.load();
        } catch (ManifestArgs.InvalidManifests e) {
            System.err.println(e.getMessage());
            return Cli.EXIT_FAILURE;
        }
        List<String> problems = new ArrayList<>();
        List<String[]> out = new ArrayList<>();
        for (LoadedManifest m : loaded) {
            Deployment d = m.deployment();
            if (labels != null) {
                Placement.Decision p = Placement.decide(d, labels);
                if (!p.runs()) {
                    System.err.println(d.name() + ": skipped, not placed on a host with " + hostLabels + ": " + p.reason());
                    continue;
                }
                d = p.effective();
            } else if (d.spec().overrides() != null) {
                System.err.println(d.name() + ": spec.overrides not exported (the manifest's own values are); give --host-labels for one environment's");
            }
            try {
                out.add(new String[] {d.name(), KubernetesYaml.write(KubernetesExport.export(d))});
            } catch (IllegalArgumentException e) {
                problems.add(m.location() + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            problems.forEach(System.err::println);
            System.err.println(problems.size() + " app(s) cannot be exported; nothing was written");
            return Cli.EXIT_FAILURE;
        }
        for (String[] o : out) {
            if (outputDir == null) {
                System.out.print(o[1]);
            } else {
                try {
                    Files.createDirectories(outputDir);
                    Files.writeString(outputDir.resolve(o[0] + ".yaml"), o[1]);
                } catch (IOException e) {
                    throw new CliException("cannot write " + outputDir.resolve(o[0] + ".yaml") + ": " + Cli.oneLine(e));
                }
                System.out.println("wrote " + outputDir.resolve(o[0] + ".yaml") + " (Deployment, Service)");
            }
        }
        return 0;
    }
}
