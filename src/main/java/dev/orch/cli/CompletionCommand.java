package dev.orch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Shell completion as kubectl and cobra do it: a small script per shell that asks {@code orchctl __complete WORDS...}
 * for candidates, so commands, flags and app names (from the daemon) are always those of this binary.
 */
@Command(name = "completion", description = {"Print a shell completion script: bash, zsh or fish.",
    "bash: source <(orchctl completion bash)   zsh: source <(orchctl completion zsh)   fish: orchctl completion fish | source"})
public class CompletionCommand implements Callable<Integer> {
    static final String BASH = """
            # orchctl completion for bash: source <(orchctl completion bash)
            _orchctl() {
                local IFS=$'\\n'
                COMPREPLY=($(compgen -W "$(orchctl __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null)" -- "${COMP_WORDS[COMP_CWORD]}"))
            }
            complete -o default -F _orchctl orchctl
            """;

    static final String ZSH = """
            #compdef orchctl
            # orchctl completion for zsh: source <(orchctl completion zsh)
            _orchctl() {
                local -a candidates
                candidates=("${(@f)$(orchctl __complete -- "${(@)words[2,$CURRENT]}" 2>/dev/null)}")
                compadd -- "${candidates[@]}"
            }
            if (( ! $+functions[compdef] )); then
                autoload -U compinit && compinit
            fi
            compdef _orchctl orchctl
            """;

    static final String FISH = """
            # orchctl completion for fish: orchctl completion fish | source
            complete -c orchctl -f -a '(orchctl __complete -- (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
            """;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash, zsh or fish")
    String shell;

    @Override
    public Integer call() {
        switch (shell) {
            case "bash" -> System.out.print(BASH);
            case "zsh" -> System.out.print(ZSH);
            case "fish" -> System.out.print(FISH);
            default -> throw new ParameterException(spec.commandLine(), "unsupported shell \"" + shell + "\": use bash, zsh or fish");
        }
        return 0;
    }
}
