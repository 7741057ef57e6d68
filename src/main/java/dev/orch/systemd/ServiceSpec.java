package dev.orch.systemd;

import dev.orch.manifest.Template;

/**
 * What one instance should run, independent of how a driver runs it.
 *
 * @param id app, color, replica
 * @param revision the revision identifier (template hash) this instance runs
 * @param source where the revision came from, e.g. {@code git:https://host/repo.git//apps/web.yaml@<sha1>} or {@code apply}
 * @param port the port the process must listen on (reaches it as the {@code portEnv} variable and {@code $(PORT)})
 * @param template the manifest's pod-like template, validated and defaulted
 * @param artifactPath local path of the artifact ({@code $(ARTIFACT)}), or null when the template has none
 */
public record ServiceSpec(InstanceId id, String revision, String source, int port, Template template, String artifactPath) {
    public ServiceSpec {
        if (id == null || template == null) {
            throw new IllegalArgumentException("id and template are required");
        }
        if (revision == null || revision.isBlank() || source == null || source.isBlank()) {
            throw new IllegalArgumentException("revision and source are required");
        }
        SystemdEscape.requireNoControl(revision, "revision");
        SystemdEscape.requireNoControl(source, "source");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
