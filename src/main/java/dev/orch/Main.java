package dev.orch;

import dev.orch.cli.AotTraining;
import dev.orch.cli.Cli;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The one entry point of both faces. Quarkus binds its listeners while booting, so the face is chosen here,
 * before anything boots: {@code orchctl daemon} boots Quarkus (API, metrics, control loop); every other
 * command is a plain picocli client that never boots Quarkus, binds no port and exits fast.
 */
@QuarkusMain
public final class Main {
    private Main() {}

    public static void main(String... args) {
        int code = AotTraining.requested() ? AotTraining.run() : Cli.execute(args);
        System.out.flush();
        System.exit(code);
    }
}
