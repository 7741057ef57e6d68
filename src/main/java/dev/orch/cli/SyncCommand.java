package dev.orch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "sync", description = "Fetch the git repositories now and wait: prints per repository the commit and the apps"
        + " added, changed, removed and failed. Exit 1 when a repository could not be fetched or a file has errors.")
public class SyncCommand implements Callable<Integer> {
    @Parameters(paramLabel = "REPO", arity = "0..*", description = "repository names (orch.git.repos.<name>); all when none")
    List<String> repos = new ArrayList<>();

    @Override
    public Integer call() {
        StringBuilder query = new StringBuilder();
        for (String r : repos) {
            query.append(query.isEmpty() ? "?" : "&").append("repo=").append(URLEncoder.encode(r, StandardCharsets.UTF_8));
        }
        JsonNode results;
        try (ApiClient api = ApiClient.connect()) {
            ApiClient.Response r = api.ok(api.call(HttpMethod.POST, "/api/v1/sources/sync" + query, null, null));
            results = ApiClient.JSON.readTree(r.body().getBytes());
        } catch (IOException e) {
            throw new CliException("orchd sent an unreadable answer: " + e.getMessage(), e);
        }
        return print(results);
    }

    /** Prints what each repository did; the exit code (1 when a fetch failed or a file has errors). */
    static int print(JsonNode results) {
        int exit = 0;
        for (JsonNode r : results) {
            String result = r.path("result").asText();
            String revision = r.path("revision").isNull() ? "none" : shortRevision(r.path("revision").asText());
            String signer = r.path("verified").path("signer").asText("");
            if (result.equals("failed")) {
                System.out.println(r.path("repo").asText() + ": failed, still at " + revision + ": " + r.path("message").asText());
                exit = Cli.EXIT_FAILURE;
                continue;
            }
            System.out.println(r.path("repo").asText() + ": " + result + " " + revision + ": " + list(r, "added") + " added, "
                    + list(r, "changed") + " changed, " + list(r, "removed") + " removed, " + list(r, "failed") + " failed"
                    + (signer.isEmpty() || result.equals("unchanged") ? "" : "; signed by " + signer));
            for (JsonNode e : r.path("errors")) {
                System.out.println("  " + e.asText());
                if (!e.asText().startsWith("warning: ")) {
                    exit = Cli.EXIT_FAILURE;
                }
            }
        }
        return exit;
    }

    /** {@code 2} or {@code 1 (web)}: the count, with the names when there are any. */
    private static String list(JsonNode r, String field) {
        List<String> names = new ArrayList<>();
        r.path(field).forEach(n -> names.add(n.asText()));
        return names.isEmpty() ? "0" : names.size() + " (" + String.join(", ", names) + ")";
    }

    /** {@code main@sha1:0123456789ab} (12 hex digits, as git log --abbrev=12). */
    private static String shortRevision(String revision) {
        int at = revision.indexOf("@sha1:");
        return at < 0 || revision.length() < at + 6 + 12 ? revision : revision.substring(0, at + 6 + 12);
    }
}
