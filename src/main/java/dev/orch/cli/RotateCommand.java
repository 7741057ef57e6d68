package dev.orch.cli;

import dev.orch.api.SealingKeysResource.KeyInfo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "rotate", description = "Add a new sealing key: rotate sealing-key. Older keys stay so old ciphertexts still open.")
public class RotateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "sealing-key", description = "what to rotate: sealing-key")
    String what;

    @Override
    public Integer call() {
        if (!SealCommand.SEALING_KEY.contains(what)) {
            throw new CliException("unknown resource \"" + what + "\": use rotate sealing-key");
        }
        try (ApiClient api = ApiClient.connect()) {
            KeyInfo k = api.post("/api/v1/sealing-keys", null, KeyInfo.class);
            System.out.println("sealing key " + k.number() + " added: " + k.recipient());
            System.out.println("seal new values with it; orchctl seal --reseal -f FILE moves old ones to it");
        }
        return 0;
    }
}
