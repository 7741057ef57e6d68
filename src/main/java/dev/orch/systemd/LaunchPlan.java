package dev.orch.systemd;

import dev.orch.manifest.EnvVar;
import dev.orch.manifest.Template;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact argv and environment of an instance, after Kubernetes-style {@code $(VAR)} expansion. Both drivers
 * start processes from this, so the systemd unit and the supervised child see the same thing.
 *
 * <p>Variables available to expansion: the port variable ({@code Template.portEnv}, default {@code PORT}),
 * {@code PORT} itself when portEnv is renamed, {@code ARTIFACT} when there is an artifact, and the declared env
 * vars (each env value may reference vars declared before it, as in Kubernetes). The port variable and
 * {@code ARTIFACT} are set last and so win over a declared var with the same name. The environment also
 * carries {@code ORCH_APP}, {@code ORCH_COLOR} and {@code ORCH_REPLICA}.
 */
public record LaunchPlan(List<String> argv, Map<String, String> env, String workingDir) {
    public static final String ARTIFACT_VAR = "ARTIFACT";

    public LaunchPlan {
        argv = List.copyOf(argv);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    public static LaunchPlan of(ServiceSpec spec) {
        Template t = spec.template();
        String portEnv = portEnv(t);
        Map<String, String> orchVars = new LinkedHashMap<>();
        orchVars.put(portEnv, Integer.toString(spec.port()));
        orchVars.putIfAbsent("PORT", Integer.toString(spec.port()));
        if (spec.artifactPath() != null) {
            orchVars.put(ARTIFACT_VAR, spec.artifactPath());
        }

        Map<String, String> vars = new LinkedHashMap<>(orchVars);
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar e : t.env()) {
            if (e.sealed()) {
                continue; // delivered by the driver from the opened secrets, never through the plan
            }
            String value = Expansion.expand(e.value() == null ? "" : e.value(), vars);
            env.put(e.name(), value);
            vars.put(e.name(), value);
        }
        // orch's own variables are authoritative
        env.put(portEnv, Integer.toString(spec.port()));
        vars.put(portEnv, Integer.toString(spec.port()));
        if (spec.artifactPath() != null) {
            env.put(ARTIFACT_VAR, spec.artifactPath());
            vars.put(ARTIFACT_VAR, spec.artifactPath());
        }
        // so a process can say which slot it is (logs, /version endpoints); not expandable in args
        env.put("ORCH_APP", spec.id().app());
        env.put("ORCH_COLOR", spec.id().color().wire());
        env.put("ORCH_REPLICA", Integer.toString(spec.id().replica()));

        List<String> argv = new ArrayList<>();
        for (String s : t.command()) {
            argv.add(Expansion.expand(s, vars));
        }
        for (String s : t.args()) {
            argv.add(Expansion.expand(s, vars));
        }
        if (argv.isEmpty() || !argv.get(0).startsWith("/")) {
            throw new IllegalArgumentException(
                    spec.id() + ": command[0] must be an absolute path, got " + (argv.isEmpty() ? "nothing" : "\"" + argv.get(0) + "\""));
        }
        return new LaunchPlan(argv, env, t.workingDir());
    }

    static String portEnv(Template t) {
        return t.portEnv() == null || t.portEnv().isBlank() ? Template.DEFAULT_PORT_ENV : t.portEnv();
    }
}
