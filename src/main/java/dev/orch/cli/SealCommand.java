package dev.orch.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.orch.api.SealingKeysResource.KeyInfo;
import dev.orch.secrets.AgeException;
import dev.orch.secrets.AgeTool;
import dev.orch.secrets.Envelope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "seal", description = {"Seal a value for an app with orchd's newest sealing key (docs/secrets.md):",
        "  seal --app NAME [--name VAR] [--from-file FILE]   (the value from stdin without --from-file)",
        "  seal --reseal -f MANIFEST                         (rewrite every sealedValue to the newest key)"})
public class SealCommand implements Callable<Integer> {
    static final List<String> SEALING_KEY = List.of("sealing-key", "sealing-keys");

    @Option(names = "--app", paramLabel = "NAME", description = "the app the value is bound to")
    String app;

    @Option(names = "--name", paramLabel = "NAME", description = "print an env list item {name, sealedValue} instead of the bare ciphertext")
    String name;

    @Option(names = "--from-file", paramLabel = "FILE", description = "seal this file's bytes instead of stdin")
    Path fromFile;

    @Option(names = "--reseal", description = "rewrite the sealed values of the manifest given with -f to the newest key")
    boolean reseal;

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE", description = "the manifest --reseal rewrites in place")
    Path file;

    @Override
    public Integer call() throws IOException {
        if (reseal) {
            if (file == null) {
                throw new CliException("--reseal needs the manifest: seal --reseal -f FILE");
            }
            try (ApiClient api = ApiClient.connect()) {
                String text = Files.readString(file);
                Reseal.Result r = Reseal.rewrite(text, (appName, sealed) -> api.post("/api/v1/sealing-keys/reseal",
                        new dev.orch.api.SealingKeysResource.ResealRequest(appName, sealed),
                        dev.orch.api.SealingKeysResource.Sealed.class).sealedValue());
                Files.writeString(file, r.text());
                System.out.println(file + ": " + r.count() + " sealed value(s) resealed to the newest key");
            }
            return 0;
        }
        if (app == null) {
            throw new CliException("give the app the value is for: seal --app NAME");
        }
        byte[] value = fromFile != null ? Files.readAllBytes(fromFile) : System.in.readAllBytes();
        String recipient;
        try (ApiClient api = ApiClient.connect()) {
            List<KeyInfo> keys = api.get("/api/v1/sealing-keys", new TypeReference<List<KeyInfo>>() {});
            if (keys.isEmpty()) {
                throw new CliException("orchd has no sealing key yet");
            }
            recipient = keys.get(keys.size() - 1).recipient();
        }
        String armored;
        try {
            armored = AgeTool.fromPath().encrypt(List.of(recipient), Envelope.wrap(app, value));
        } catch (AgeException e) {
            throw new CliException("age failed: " + e.getMessage(), e);
        }
        System.out.print(name == null ? armored : Reseal.envItem(name, armored));
        return 0;
    }
}
