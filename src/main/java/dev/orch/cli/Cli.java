package dev.orch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Builds the command tree and maps failures to kubectl's exit codes: 0 ok, 1 failure, 2 usage error. */
public final class Cli {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    private Cli() {}

    public static CommandLine commandLine() {
        RemoteServer.Flags.reset();
        CommandLine cl = new CommandLine(new OrchCtl());
        addHelpOptions(cl);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            cmd.getErr().println("error: " + oneLine(ex));
            return EXIT_FAILURE;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("error: " + ex.getMessage());
            cmd.getErr().println("See '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
            return EXIT_USAGE;
        });
        return cl;
    }

    /**
     * {@code -h}/{@code --help} on every subcommand, added here rather than per class so a new command cannot
     * miss it; a usage-help option also lifts picocli's required-parameter checks, so {@code get --help} works.
     */
    private static void addHelpOptions(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            var spec = sub.getCommandSpec();
            if (spec.findOption("--help") == null) {
                spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help and exit.").build());
            }
            addHelpOptions(sub);
        }
    }

    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static String oneLine(Throwable ex) {
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        return msg.replace('\n', ' ');
    }
}
