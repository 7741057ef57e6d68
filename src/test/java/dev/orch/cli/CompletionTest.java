package dev.orch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The candidates behind every shell's completion script, from the real command tree and a fixed list of apps. */
class CompletionTest {
    private static final CommandLine TREE = Cli.commandLine();

    private static List<String> complete(String... words) {
        return CompleteCommand.candidates(TREE, List.of(words), () -> List.of("web", "api", "worker"));
    }

    @Test
    void commandsSubcommandsFlagsAndAppNames() {
        assertThat(complete("")).contains("get", "apply", "rollout", "logs", "completion", "config", "help").doesNotContain("__complete", "web");
        assertThat(complete("ro")).containsExactly("rollout", "rotate");
        assertThat(complete("rollout", "")).containsExactly("status", "history", "undo", "promote", "abort", "retry", "restart");
        assertThat(complete("rollout", "status", "")).containsExactly("web", "api", "worker");
        assertThat(complete("rollout", "status", "w")).containsExactly("web", "worker");
        assertThat(complete("get", "")).containsExactly("apps", "app", "web", "api", "worker");
        assertThat(complete("get", "app", "a")).containsExactly("api");
        assertThat(complete("logs", "--tail", "5", "w")).containsExactly("web", "worker");
        assertThat(complete("events", "--app", "")).containsExactly("web", "api", "worker");
        assertThat(complete("get", "-o", "")).isEmpty();
        assertThat(complete("get", "--")).contains("--output", "--selector", "--no-headers", "--help", "--server", "--context")
                .doesNotContain("--watch-interval", "-o");
        assertThat(complete("config", "")).containsExactly("get-contexts", "current-context", "use-context", "set-context");
        assertThat(complete("completion", "")).isEmpty();
    }
}
