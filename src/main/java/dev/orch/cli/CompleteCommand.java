package dev.orch.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.orch.api.AppSummary;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What the completion scripts call: {@code orchctl __complete WORD... CURRENT} prints the candidates for the last
 * (possibly empty) word, one per line: subcommands, flags, and app names from the daemon where a command takes a
 * NAME. Never fails: without a daemon there are just no app names.
 */
@Command(name = "__complete", hidden = true, description = "Print completion candidates for the words typed so far (used by the completion scripts).")
public class CompleteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "WORD")
    List<String> words = new ArrayList<>();

    @Override
    public Integer call() {
        candidates(spec.root().commandLine(), words, CompleteCommand::appNames).forEach(System.out::println);
        return 0;
    }

    /** The candidates that start with the last word; {@code apps} supplies app names only when they are wanted. */
    static List<String> candidates(CommandLine root, List<String> typed, java.util.function.Supplier<List<String>> apps) {
        List<String> words = typed.isEmpty() ? List.of("") : typed;
        String current = words.getLast();
        CommandLine cmd = root;
        int positionals = 0;
        for (int i = 0; i < words.size() - 1; i++) {
            String w = words.get(i);
            OptionSpec opt = cmd.getCommandSpec().findOption(w.contains("=") ? w.substring(0, w.indexOf('=')) : w);
            if (opt != null) {
                if (opt.arity().min() > 0 && !w.contains("=")) {
                    i++; // the option's value
                }
            } else if (!w.startsWith("-") && positionals == 0 && cmd.getSubcommands().containsKey(w)) {
                cmd = cmd.getSubcommands().get(w);
            } else if (!w.startsWith("-")) {
                positionals++;
            }
        }
        if (words.size() >= 2) {
            OptionSpec previous = cmd.getCommandSpec().findOption(words.get(words.size() - 2));
            if (previous != null && previous.arity().min() > 0) {
                // an option's value: app names for NAME (events --app), else nothing and the shell completes files
                return previous.paramLabel().equals("NAME") ? apps.get().stream().filter(c -> c.startsWith(current)).toList() : List.of();
            }
        }
        Set<String> out = new LinkedHashSet<>();
        if (current.startsWith("-")) {
            for (OptionSpec o : cmd.getCommandSpec().options()) {
                if (!o.hidden()) {
                    out.addAll(List.of(o.names()));
                }
            }
        } else {
            if (positionals == 0) {
                cmd.getSubcommands().forEach((name, sub) -> {
                    if (!sub.getCommandSpec().usageMessage().hidden()) {
                        out.add(name);
                    }
                });
            }
            String name = cmd.getCommandName();
            boolean typed0 = cmd.getCommandSpec().positionalParameters().stream().anyMatch(p -> p.paramLabel().contains("TYPE"));
            boolean takesName = cmd.getCommandSpec().positionalParameters().stream().anyMatch(p -> p.paramLabel().contains("NAME"));
            if (typed0 && positionals == 0) {
                out.addAll(List.of("apps", "app"));
            }
            if (takesName && !name.equals("set-context") && !name.equals("use-context")) {
                out.addAll(apps.get());
            }
        }
        return out.stream().filter(c -> c.startsWith(current)).toList();
    }

    private static List<String> appNames() {
        try (ApiClient api = ApiClient.connect()) {
            return api.get("/api/v1/apps", new TypeReference<List<AppSummary>>() {}).stream().map(AppSummary::name).toList();
        } catch (RuntimeException e) {
            return List.of(); // no daemon: complete what is known locally
        }
    }
}
