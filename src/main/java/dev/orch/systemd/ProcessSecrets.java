package dev.orch.systemd;

import dev.orch.state.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process driver's opened secrets: files under a tmpfs runtime directory ({@code $XDG_RUNTIME_DIR} or
 * {@code /run}), else under the state dir with a warning, and what each color was given, so a respawn gets the
 * same environment (the values live in memory and in those files only).
 */
final class ProcessSecrets {
    private final Path stateDir;
    private final Map<String, SecretPayload> staged = new ConcurrentHashMap<>();

    ProcessSecrets(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** Writes the color's files; returns a warning when they landed on persistent disk, else null. */
    String stage(String app, Color color, SecretPayload secrets) {
        String name = UnitRenderer.secretsDirName(new InstanceId(app, color, 0));
        Path base = base();
        try {
            SecretFiles.write(base.resolve(name), secrets);
        } catch (IOException e) {
            throw new DriverException("cannot write the secrets of " + app + " " + color.wire() + ": " + e.getMessage(), e);
        }
        staged.put(name, secrets);
        return secrets.isEmpty() || RuntimeDirs.isTmpfs(base.getParent().getParent()) ? null : onDiskWarning(base);
    }

    /** Adds {@code CREDENTIALS_DIRECTORY} and the sealed env variables of the instance's color, if it has any. */
    void addTo(InstanceId id, Map<String, String> env) {
        String name = UnitRenderer.secretsDirName(id);
        SecretPayload secrets = staged.get(name);
        if (secrets != null && !secrets.isEmpty()) {
            env.put("CREDENTIALS_DIRECTORY", base().resolve(name).toString());
            env.putAll(secrets.env());
        }
    }

    static String onDiskWarning(Path base) {
        return "no tmpfs runtime directory ($XDG_RUNTIME_DIR or /run): the opened secrets are on persistent disk in " + base;
    }

    private Path base() {
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        return base(xdg == null ? List.of(Path.of("/run")) : List.of(Path.of(xdg), Path.of("/run")), stateDir);
    }

    /** The first candidate that is a writable tmpfs, else the state dir (on disk: the caller warns). */
    static Path base(List<Path> candidates, Path stateDir) {
        for (Path p : candidates) {
            if (Files.isDirectory(p) && Files.isWritable(p) && RuntimeDirs.isTmpfs(p)) {
                return p.resolve("orch").resolve("secrets");
            }
        }
        return stateDir.resolve("secrets");
    }
}
