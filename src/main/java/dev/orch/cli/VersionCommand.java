package dev.orch.cli;

import dev.orch.api.VersionInfo;
import dev.orch.version.BuildInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;

@Command(name = "version", description = "Print the client and server version.")
public class VersionCommand implements Callable<Integer> {
    @Option(names = "--client", description = "Print the client version only; do not contact orchd.")
    boolean clientOnly;

    @Override
    public Integer call() {
        System.out.println("Client Version: " + BuildInfo.version());
        if (clientOnly) {
            return 0;
        }
        try (ApiClient api = ApiClient.connect()) {
            VersionInfo server = api.get("/api/v1/version", VersionInfo.class);
            System.out.println("Server Version: " + server.version());
            return 0;
        }
    }

    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"orchctl " + BuildInfo.version()};
        }
    }
}
