package dev.orch.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
        name = "orchctl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Blue/green deployments of systemd services, driven from git or from manifests you apply.",
        subcommands = {
            GetCommand.class,
            DescribeCommand.class,
            ApplyCommand.class,
            DiffCommand.class,
            DeleteCommand.class,
            RolloutCommand.class,
            SwitchCommand.class,
            SyncCommand.class,
            LogsCommand.class,
            EventsCommand.class,
            VersionCommand.class,
            CompletionCommand.class,
            DaemonCommand.class,
            HelpCommand.class,
        })
public class OrchCtl implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }
}
