package dev.orch.systemd;

import dev.orch.manifest.Artifact;
import dev.orch.manifest.EnvVar;
import dev.orch.manifest.Hardening;
import dev.orch.manifest.Resources;
import dev.orch.manifest.Template;
import dev.orch.state.Color;
import java.util.List;

/** Templates and specs built the way the manifest loader would hand them over: every default filled in. */
final class Specs {
    static final String REVISION = "7c9e6f1d2a";
    static final String SOURCE = "git:https://git.example.com/ops/deploy.git//apps/web.yaml@0123456789abcdef0123456789abcdef01234567";

    private Specs() {}

    static Template template(List<String> command, List<String> args) {
        return new Template(command, args, List.of(), null, null, Template.DEFAULT_PORT_ENV, null, null, null,
                Resources.NONE, Hardening.DEFAULTS, Template.DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
    }

    static Template withEnv(Template t, List<EnvVar> env) {
        return new Template(t.command(), t.args(), env, t.workingDir(), t.user(), t.portEnv(), t.artifact(),
                t.readinessProbe(), t.livenessProbe(), t.resources(), t.hardening(), t.terminationGracePeriodSeconds());
    }

    static Template withUser(Template t, String user) {
        return new Template(t.command(), t.args(), t.env(), t.workingDir(), user, t.portEnv(), t.artifact(),
                t.readinessProbe(), t.livenessProbe(), t.resources(), t.hardening(), t.terminationGracePeriodSeconds());
    }

    static Template withWorkingDir(Template t, String dir) {
        return new Template(t.command(), t.args(), t.env(), dir, t.user(), t.portEnv(), t.artifact(),
                t.readinessProbe(), t.livenessProbe(), t.resources(), t.hardening(), t.terminationGracePeriodSeconds());
    }

    static Template withPortEnv(Template t, String portEnv) {
        return new Template(t.command(), t.args(), t.env(), t.workingDir(), t.user(), portEnv, t.artifact(),
                t.readinessProbe(), t.livenessProbe(), t.resources(), t.hardening(), t.terminationGracePeriodSeconds());
    }

    static Template withArtifact(Template t, Artifact a) {
        return new Template(t.command(), t.args(), t.env(), t.workingDir(), t.user(), t.portEnv(), a,
                t.readinessProbe(), t.livenessProbe(), t.resources(), t.hardening(), t.terminationGracePeriodSeconds());
    }

    static Template withResources(Template t, Resources r) {
        return new Template(t.command(), t.args(), t.env(), t.workingDir(), t.user(), t.portEnv(), t.artifact(),
                t.readinessProbe(), t.livenessProbe(), r, t.hardening(), t.terminationGracePeriodSeconds());
    }

    static Template withHardening(Template t, Hardening h) {
        return new Template(t.command(), t.args(), t.env(), t.workingDir(), t.user(), t.portEnv(), t.artifact(),
                t.readinessProbe(), t.livenessProbe(), t.resources(), h, t.terminationGracePeriodSeconds());
    }

    static Template withGrace(Template t, int seconds) {
        return new Template(t.command(), t.args(), t.env(), t.workingDir(), t.user(), t.portEnv(), t.artifact(),
                t.readinessProbe(), t.livenessProbe(), t.resources(), t.hardening(), seconds);
    }

    static ServiceSpec spec(String app, Color color, int replica, int port, Template t) {
        return new ServiceSpec(new InstanceId(app, color, replica), REVISION, SOURCE, port, t, null);
    }

    static ServiceSpec spec(String app, Color color, int replica, int port, Template t, String artifactPath) {
        return new ServiceSpec(new InstanceId(app, color, replica), REVISION, SOURCE, port, t, artifactPath);
    }

    /** Arguments that break naive quoting in systemd, shells and env files. */
    static final List<String> HOSTILE = List.of(
            "with space", "\"double\" and 'single'", "$HOME", "${HOME}", "$$HOME", "100%", "%n%i%%", ";", "a;b", " ; ",
            "back\\slash\\", "\\\"", "ünïcødé ✓ 日本語 🚀", "tab\there", "`id`", "", "-", "--flag=$(PORT)", "$$(PORT)",
            "$(UNDEFINED)", "$(", "#not-a-comment", "trailing\\");
}
