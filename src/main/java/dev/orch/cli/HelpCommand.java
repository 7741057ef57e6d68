package dev.orch.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code orchctl help [COMMAND...]}: picocli's own help command stops at the first level ({@code help rollout status}). */
@Command(name = "help", helpCommand = true, description = "Show the help of a command, e.g. 'orchctl help rollout status'.")
public class HelpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command (and subcommands) to show help for.")
    List<String> commands = new ArrayList<>();

    @Override
    public Integer call() {
        CommandLine target = spec.root().commandLine();
        for (String name : commands) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                throw new ParameterException(spec.commandLine(), "unknown command \"" + String.join(" ", commands) + "\"");
            }
            target = sub;
        }
        target.usage(spec.commandLine().getOut());
        return 0;
    }
}
