package dev.orch.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "config", description = {"Manage the client config file's contexts (remote orchd servers), like kubectl config.",
    "File: $ORCHCONFIG, else ~/.config/orch/config."},
        subcommands = {ConfigCommand.GetContexts.class, ConfigCommand.CurrentContext.class, ConfigCommand.UseContext.class,
            ConfigCommand.SetContext.class})
public class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: get-contexts, current-context, use-context or set-context");
    }

    static Path file() {
        return ClientContexts.location(System.getenv());
    }

    @Command(name = "get-contexts", description = "List the contexts; * marks the current one.")
    static class GetContexts implements Callable<Integer> {
        @Option(names = "--no-headers", description = "Print the table without the header line.")
        boolean noHeaders;

        @Option(names = {"-o", "--output"}, paramLabel = "name", description = "name: only the names.")
        String output;

        @Override
        public Integer call() {
            ClientContexts file = ClientContexts.load(file());
            if ("name".equals(output)) {
                file.contexts().forEach(c -> System.out.println(c.name()));
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"CURRENT", "NAME", "SERVER", "TOKEN-FILE"});
            for (ClientContexts.Context c : file.contexts()) {
                rows.add(new String[] {c.name().equals(file.currentContext()) ? "*" : "", c.name(), or(c.server()), or(c.tokenFile())});
            }
            String table = Tables.align(rows);
            System.out.print(noHeaders ? table.substring(table.indexOf('\n') + 1) : table);
            return 0;
        }

        private static String or(String s) {
            return s == null ? "" : s;
        }
    }

    @Command(name = "current-context", description = "Print the current context's name.")
    static class CurrentContext implements Callable<Integer> {
        @Override
        public Integer call() {
            String current = ClientContexts.load(file()).currentContext();
            if (current == null) {
                System.err.println("error: current-context is not set");
                return Cli.EXIT_FAILURE;
            }
            System.out.println(current);
            return 0;
        }
    }

    @Command(name = "use-context", description = "Make a context the current one: later commands talk to its server.")
    static class UseContext implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            ClientContexts file = ClientContexts.load(file());
            if (file.context(name).isEmpty()) {
                System.err.println("error: no context exists with the name: \"" + name + "\"");
                return Cli.EXIT_FAILURE;
            }
            file.withCurrent(name).save(file());
            System.out.println("Switched to context \"" + name + "\".");
            return 0;
        }
    }

    /** Its fields come from the flags every command accepts: --server, --token-file, --certificate-authority. */
    @Command(name = "set-context", description = {"Create or change a context; only the fields given change:",
        "orchctl config set-context NAME --server https://HOST:7464 --token-file FILE [--certificate-authority FILE] [--current]"})
    static class SetContext implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--current", description = "Also make it the current context.")
        boolean current;

        @Override
        public Integer call() {
            String server = RemoteServer.Flags.server;
            String tokenFile = RemoteServer.Flags.tokenFile;
            String certificateAuthority = RemoteServer.Flags.certificateAuthority;
            ClientContexts file = ClientContexts.load(file());
            boolean exists = file.context(name).isPresent();
            ClientContexts.Context old = file.context(name).orElse(new ClientContexts.Context(name, null, null, null));
            if (server != null) {
                RemoteServer.parse(server); // refuse a malformed URL now, not at the next call
            }
            ClientContexts.Context next = new ClientContexts.Context(name, server != null ? server : old.server(),
                    tokenFile != null ? absolute(tokenFile) : old.tokenFile(),
                    certificateAuthority != null ? absolute(certificateAuthority) : old.certificateAuthority());
            ClientContexts updated = file.with(next);
            (current ? updated.withCurrent(name) : updated).save(file());
            System.out.println("Context \"" + name + "\" " + (exists ? "modified" : "created") + ".");
            return 0;
        }

        private static String absolute(String f) {
            return Path.of(f).toAbsolutePath().normalize().toString();
        }
    }
}
