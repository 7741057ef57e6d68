package dev.orch.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
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
            ExportCommand.class,
            RolloutCommand.class,
            SwitchCommand.class,
            SyncCommand.class,
            SourceCommand.class,
            SealCommand.class,
            RotateCommand.class,
            LogsCommand.class,
            EventsCommand.class,
            AuditCommand.class,
            VersionCommand.class,
            CompletionCommand.class,
            ConfigCommand.class,
            DaemonCommand.class,
            HelpCommand.class,
            CompleteCommand.class,
        })
public class OrchCtl implements Runnable {
    @Spec
    CommandSpec spec;

    // inherited: accepted before or after the command (orchctl --server URL get apps, orchctl get apps --context prod)
    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "orchd's TCP listener, e.g. https://10.0.0.5:7464 (default: the current context, else the local socket).")
    void server(String url) {
        RemoteServer.Flags.server = url;
    }

    @Option(names = "--token-file", scope = ScopeType.INHERIT, paramLabel = "FILE", description = "File holding the API token for --server.")
    void tokenFile(String file) {
        RemoteServer.Flags.tokenFile = file;
    }

    @Option(names = "--certificate-authority", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "PEM CA certificate(s) to trust for an https server.")
    void certificateAuthority(String file) {
        RemoteServer.Flags.certificateAuthority = file;
    }

    @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "NAME", description = "Use this context of the client config file.")
    void context(String name) {
        RemoteServer.Flags.context = name;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }
}
