package dev.orch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "switch", description = "Flip the route back to the idle color at once, while it still runs warm.")
public class SwitchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        var r = RolloutCommand.post(name, "switch", "");
        System.out.println(ApplyCommand.KIND + "/" + name + " switched (" + r.result() + ")");
        return 0;
    }
}
