package dev.orch.cli;

import dev.orch.api.VersionInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
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
        System.out.println("Client Version: " + clientVersion());
        if (clientOnly) {
            return 0;
        }
        try (ApiClient api = ApiClient.connect()) {
            VersionInfo server = api.get("/api/v1/version", VersionInfo.class);
            System.out.println("Server Version: " + server.version());
            return 0;
        }
    }

    public static String clientVersion() {
        return BuildInfo.VERSION;
    }

    /** Build facts, filtered in by Maven; read once. */
    static final class BuildInfo {
        static final String VERSION = load().getProperty("version", "unknown");

        private static Properties load() {
            Properties p = new Properties();
            try (InputStream in = BuildInfo.class.getResourceAsStream("/orch-build.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return p;
        }
    }

    public static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"orchctl " + clientVersion()};
        }
    }
}
