package dev.orch.cli;

import picocli.CommandLine;

/** Builds the command tree and maps failures to kubectl's exit codes: 0 ok, 1 failure, 2 usage error. */
public final class Cli {
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    private Cli() {}

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new OrchCtl());
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

    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static String oneLine(Throwable ex) {
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        return msg.replace('\n', ' ');
    }
}
