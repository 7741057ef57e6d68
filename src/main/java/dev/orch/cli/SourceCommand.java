package dev.orch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "source", description = "Act on a git repository (orch.git.repos.<name>).", subcommands = SourceCommand.Reset.class)
public class SourceCommand implements Runnable {
    @Override
    public void run() {
        throw new CliException("orchctl source needs a subcommand: reset REPO");
    }

    @Command(name = "reset", description = "Accept a rewritten branch (force-push): fetch and apply its tip even though it does not"
            + " contain the last applied commit. A verifying repository still refuses an untrusted tip. Prints what the sync did;"
            + " exit 1 when it failed.")
    public static class Reset implements Callable<Integer> {
        @Parameters(paramLabel = "REPO", description = "repository name (orch.git.repos.<name>)")
        String repo;

        @Override
        public Integer call() {
            JsonNode result;
            try (ApiClient api = ApiClient.connect()) {
                ApiClient.Response r = api.ok(api.call(HttpMethod.POST,
                        "/api/v1/sources/" + URLEncoder.encode(repo, StandardCharsets.UTF_8) + "/reset", null, null));
                result = ApiClient.JSON.readTree(r.body().getBytes());
            } catch (IOException e) {
                throw new CliException("orchd sent an unreadable answer: " + e.getMessage(), e);
            }
            return SyncCommand.print(ApiClient.JSON.createArrayNode().add(result));
        }
    }
}
