package dev.orch.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * What one color runs. Everything here is part of the revision hash.
 *
 * @param command argv[0..n] of the process (absolute path first); {@code $(VAR)} is expanded as in Kubernetes
 * @param args further arguments, with {@code $(PORT)}, {@code $(ARTIFACT)} and env-var expansion
 * @param env environment variables (names unique); written to a mode-0600 EnvironmentFile, never into the unit
 * @param workingDir absolute working directory, or null for the unit's default
 * @param user user the service runs as, or null for a systemd DynamicUser
 * @param portEnv name of the environment variable that carries the color's port
 * @param artifact the release to run (local path, or URL with sha256), or null
 * @param readinessProbe gate for the route switch, or null (ready once the process is active)
 * @param livenessProbe failure restarts the color's unit, or null
 * @param resources resource limits (never null; limits may be empty)
 * @param hardening sandboxing of the unit (never null; defaults are strict)
 * @param terminationGracePeriodSeconds SIGTERM to SIGKILL delay on stop
 * @param secretFiles sealed files delivered as credentials (left out of the hash's JSON when empty, so
 *     manifests without secrets keep their revision)
 */
@RegisterForReflection
public record Template(
        List<String> command,
        List<String> args,
        List<EnvVar> env,
        String workingDir,
        String user,
        String portEnv,
        Artifact artifact,
        Probe readinessProbe,
        Probe livenessProbe,
        Resources resources,
        Hardening hardening,
        int terminationGracePeriodSeconds,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<SecretFile> secretFiles) {
    public static final String DEFAULT_PORT_ENV = "PORT";
    public static final int DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

    public Template {
        command = List.copyOf(command);
        args = args == null ? List.of() : List.copyOf(args);
        env = env == null ? List.of() : List.copyOf(env);
        secretFiles = secretFiles == null ? List.of() : List.copyOf(secretFiles);
    }

    public Template(List<String> command, List<String> args, List<EnvVar> env, String workingDir, String user, String portEnv,
            Artifact artifact, Probe readinessProbe, Probe livenessProbe, Resources resources, Hardening hardening,
            int terminationGracePeriodSeconds) {
        this(command, args, env, workingDir, user, portEnv, artifact, readinessProbe, livenessProbe, resources, hardening,
                terminationGracePeriodSeconds, List.of());
    }

    /** Whether any value of this template is sealed (then orchd opens them when it installs a color). */
    public boolean hasSecrets() {
        return !secretFiles.isEmpty() || env.stream().anyMatch(EnvVar::sealed);
    }
}
