package dev.orch.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.orch.api.DiffResult;
import dev.orch.manifest.LoadedManifest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "diff", description = {"Show what apply -f would change: the manifest diff and the unit and route changes it causes.",
    "Compares with what runs (the live color's revision, the idle color), not with the stored desired state.",
    "Exit 0 when nothing would change, 1 when something would, 2 on an error (as kubectl diff)."})
public class DiffCommand implements Callable<Integer> {
    @Mixin
    ManifestArgs manifests;

    /** kubectl diff's exit code for a failure: 1 already means "differs". */
    static final int EXIT_ERROR = 2;

    @Override
    public Integer call() {
        try {
            return diff();
        } catch (ManifestArgs.InvalidManifests e) {
            System.err.println(e.getMessage());
            return EXIT_ERROR;
        } catch (CliException e) {
            System.err.println("error: " + Cli.oneLine(e));
            return EXIT_ERROR;
        }
    }

    private int diff() {
        List<LoadedManifest> loaded = manifests.load();
        try (ApiClient api = ApiClient.connect()) {
            ApiClient.Response r = api.ok(api.call(HttpMethod.POST, "/api/v1/diff", "application/yaml",
                    Buffer.buffer(ApplyCommand.yamlStream(loaded))));
            List<DiffResult> results = ApiClient.JSON.readValue(r.body().getBytes(), new TypeReference<List<DiffResult>>() {});
            System.out.print(render(results));
            return results.stream().allMatch(d -> d.result().equals("unchanged")) ? 0 : 1;
        } catch (IOException e) {
            throw new CliException("orchd sent an unreadable answer: " + e.getMessage(), e);
        }
    }

    static String render(List<DiffResult> results) {
        StringBuilder sb = new StringBuilder();
        for (DiffResult d : results) {
            if (d.result().equals("unchanged")) {
                continue;
            }
            sb.append(d.diff());
            for (String e : d.effects()) {
                sb.append("# ").append(d.name()).append(": ").append(e).append('\n');
            }
        }
        return sb.toString();
    }
}
