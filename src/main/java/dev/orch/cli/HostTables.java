package dev.orch.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.orch.config.HostIdentity;
import dev.orch.source.PlacementRow;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code orchctl get host} (name, machine id, labels) and {@code get placement} (each repository app: here or not, and why). */
final class HostTables {
    private HostTables() {}

    static int print(String what, String output, CommandSpec spec) {
        if (!List.of("table", "yaml", "json").contains(output)) {
            throw new ParameterException(spec.commandLine(), "invalid --output \"" + output + "\" for " + what + ": use table, yaml or json");
        }
        try (ApiClient api = ApiClient.connect()) {
            if (what.equals("host")) {
                HostIdentity h = api.get("/api/v1/host", HostIdentity.class);
                System.out.print(output.equals("table") ? host(h) : Output.format(h, output));
            } else {
                List<PlacementRow> rows = api.get("/api/v1/host/placement", new TypeReference<List<PlacementRow>>() {});
                if (!output.equals("table")) {
                    System.out.print(Output.format(rows, output));
                } else if (rows.isEmpty()) {
                    System.err.println("No resources found.");
                } else {
                    System.out.print(placement(rows));
                }
            }
            return 0;
        }
    }

    static String host(HostIdentity h) {
        List<String> labels = new ArrayList<>();
        h.labels().forEach((k, v) -> labels.add(k + "=" + v));
        return Tables.align(List.of(new String[] {"NAME", "MACHINE-ID", "LABELS"},
                new String[] {h.name(), h.machineId().isEmpty() ? "<none>" : h.machineId(), labels.isEmpty() ? "<none>" : String.join(",", labels)}));
    }

    static String placement(List<PlacementRow> rows) {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"APP", "REPOSITORY", "PATH", "PLACED", "REASON"});
        rows.forEach(r -> out.add(new String[] {r.app(), r.repository(), r.path(), r.runs() ? "yes" : "no", r.reason()}));
        return Tables.align(out);
    }
}
