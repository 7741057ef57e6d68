package dev.orch.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.orch.state.AtomicFiles;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The client's own config file, kubeconfig-like: named contexts (server URL, token file, CA file) and the current
 * one. At {@code $ORCHCONFIG}, else {@code $XDG_CONFIG_HOME/orch/config}, else {@code ~/.config/orch/config}.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
record ClientContexts(@JsonProperty("current-context") String currentContext, List<Context> contexts) {
    static final String ENV = "ORCHCONFIG";
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    ClientContexts {
        contexts = contexts == null ? List.of() : List.copyOf(contexts);
    }

    /** One remote orchd: {@code server} is {@code https://host:port} (or {@code http://}). */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Context(String name, String server, @JsonProperty("token-file") String tokenFile,
            @JsonProperty("certificate-authority") String certificateAuthority) {}

    static Path location(Map<String, String> env) {
        String explicit = env.get(ENV);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("orch").resolve("config");
    }

    /** The file's contexts; none when it does not exist. */
    static ClientContexts load(Path file) {
        if (!Files.exists(file)) {
            return new ClientContexts(null, List.of());
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            ClientContexts c = text.isBlank() ? null : YAML.readValue(text, ClientContexts.class);
            return c == null ? new ClientContexts(null, List.of()) : c;
        } catch (IOException e) {
            throw new CliException("cannot read the client config " + file + ": " + Cli.oneLine(e));
        }
    }

    /** Written atomically with mode 0600: it names token files, and a later version may hold more. */
    void save(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.write(file, YAML.writeValueAsString(this).getBytes(StandardCharsets.UTF_8),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new CliException("cannot write the client config " + file + ": " + Cli.oneLine(e));
        }
    }

    Optional<Context> context(String name) {
        return contexts.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    ClientContexts with(Context c) {
        List<Context> next = new ArrayList<>();
        boolean replaced = false;
        for (Context old : contexts) {
            if (old.name().equals(c.name())) {
                next.add(c);
                replaced = true;
            } else {
                next.add(old);
            }
        }
        if (!replaced) {
            next.add(c);
        }
        return new ClientContexts(currentContext, next);
    }

    ClientContexts withCurrent(String name) {
        return new ClientContexts(name, contexts);
    }
}
