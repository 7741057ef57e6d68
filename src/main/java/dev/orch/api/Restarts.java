package dev.orch.api;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.DeploymentSpec;
import dev.orch.manifest.EnvVar;
import dev.orch.manifest.ObjectMeta;
import dev.orch.manifest.Template;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rollout restart}, as kubectl does it: stamp the template with the time, which changes the revision hash,
 * so the control loop starts a fresh revision in the idle color and switches when it is ready. The stamp is an
 * environment variable (the template is what the hash covers) and a matching annotation for people.
 */
final class Restarts {
    static final String ENV = "ORCH_RESTARTED_AT";
    static final String ANNOTATION = "orch.dev/restartedAt";

    private Restarts() {}

    static Deployment stamp(Deployment d, Instant now) {
        String at = now.toString();
        Template t = d.spec().template();
        List<EnvVar> env = new ArrayList<>();
        for (EnvVar e : t.env()) {
            if (!e.name().equals(ENV)) {
                env.add(e);
            }
        }
        env.add(new EnvVar(ENV, at));
        Template nt = new Template(t.command(), t.args(), env, t.workingDir(), t.user(), t.portEnv(), t.artifact(), t.readinessProbe(),
                t.livenessProbe(), t.resources(), t.hardening(), t.terminationGracePeriodSeconds(), t.secretFiles());
        Map<String, String> annotations = new HashMap<>(d.metadata().annotations());
        annotations.put(ANNOTATION, at);
        DeploymentSpec s = d.spec();
        return new Deployment(d.apiVersion(), d.kind(), new ObjectMeta(d.metadata().name(), d.metadata().labels(), annotations),
                s.withTemplate(nt));
    }
}
