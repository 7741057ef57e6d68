package dev.orch.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "completion", description = {"Print a shell completion script: bash or zsh.",
    "bash: source <(orchctl completion bash)   zsh: source <(orchctl completion zsh)"})
public class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    String shell;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("orchctl", spec.root().commandLine());
        switch (shell) {
            case "bash" -> System.out.print(script);
            // picocli's script runs in zsh through bashcompinit
            case "zsh" -> System.out.print("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script);
            default -> throw new ParameterException(spec.commandLine(), "unsupported shell \"" + shell + "\": use bash or zsh");
        }
        return 0;
    }
}
