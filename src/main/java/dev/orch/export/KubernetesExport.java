package dev.orch.export;

import dev.orch.manifest.Deployment;
import dev.orch.manifest.DeploymentSpec;
import dev.orch.manifest.EnvVar;
import dev.orch.manifest.Probe;
import dev.orch.manifest.Template;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An orch app as Kubernetes objects (docs/fleet.md, "Export"): an {@code apps/v1} Deployment (replicas, env, probes,
 * resources, labels, placement) and a {@code v1} Service for the route, built with fabric8's model. Pure; client-side
 * only (orchctl), never in orchd.
 */
@RegisterForReflection(targets = {io.fabric8.kubernetes.api.model.apps.Deployment.class, io.fabric8.kubernetes.api.model.apps.DeploymentSpec.class,
    io.fabric8.kubernetes.api.model.apps.DeploymentStrategy.class, io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment.class,
    io.fabric8.kubernetes.api.model.ObjectMeta.class, io.fabric8.kubernetes.api.model.LabelSelector.class,
    io.fabric8.kubernetes.api.model.PodTemplateSpec.class, io.fabric8.kubernetes.api.model.PodSpec.class, Container.class,
    io.fabric8.kubernetes.api.model.ContainerPort.class, io.fabric8.kubernetes.api.model.EnvVar.class, io.fabric8.kubernetes.api.model.EnvVarSource.class,
    io.fabric8.kubernetes.api.model.SecretKeySelector.class, io.fabric8.kubernetes.api.model.Probe.class, io.fabric8.kubernetes.api.model.HTTPGetAction.class,
    io.fabric8.kubernetes.api.model.HTTPHeader.class, io.fabric8.kubernetes.api.model.TCPSocketAction.class, io.fabric8.kubernetes.api.model.ExecAction.class,
    io.fabric8.kubernetes.api.model.ResourceRequirements.class, Quantity.class, IntOrString.class, io.fabric8.kubernetes.api.model.Affinity.class,
    io.fabric8.kubernetes.api.model.NodeAffinity.class, io.fabric8.kubernetes.api.model.NodeSelector.class,
    io.fabric8.kubernetes.api.model.NodeSelectorTerm.class, NodeSelectorRequirement.class, Service.class,
    io.fabric8.kubernetes.api.model.ServiceSpec.class, io.fabric8.kubernetes.api.model.ServicePort.class,
    io.fabric8.kubernetes.api.model.Volume.class, io.fabric8.kubernetes.api.model.VolumeMount.class,
    io.fabric8.kubernetes.api.model.SecretVolumeSource.class, io.fabric8.kubernetes.api.model.KeyToPath.class})
public final class KubernetesExport {
    /** The container image of the app: an artifact is a file, so the image must be named. */
    public static final String IMAGE_ANNOTATION = "export.orch.dev/image";
    /** The pods' and the Service selector's label. */
    public static final String NAME_LABEL = "app.kubernetes.io/name";
    /** The one container's name. */
    public static final String CONTAINER = "app";

    /** The Deployment and Service of one app. */
    public record Objects(io.fabric8.kubernetes.api.model.apps.Deployment deployment, Service service) {}

    private KubernetesExport() {}

    /** @throws IllegalArgumentException when {@link #IMAGE_ANNOTATION} is missing */
    /** Where a sealed file's Secret volume is mounted, and what {@code CREDENTIALS_DIRECTORY} then names. */
    static final String SECRET_FILES_DIR = "/run/secrets/orch";

    public static Objects export(Deployment d) {
        String image = d.metadata().annotations().get(IMAGE_ANNOTATION);
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("metadata.annotations[\"" + IMAGE_ANNOTATION + "\"]: required for export: name the container image"
                    + " that holds the app (an artifact is a file, not an image)");
        }
        DeploymentSpec s = d.spec();
        Template t = s.template();
        int port = s.route().port();
        Map<String, String> labels = new TreeMap<>(d.metadata().labels());
        labels.put(NAME_LABEL, d.name());
        Map<String, String> selector = Map.of(NAME_LABEL, d.name());

        List<io.fabric8.kubernetes.api.model.EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName(t.portEnv()).withValue(Integer.toString(port)).build());
        if (t.artifact() != null && t.artifact().path() != null) {
            // the image holds the artifact where the VM had it: $(ARTIFACT) in command and args still resolves
            env.add(new EnvVarBuilder().withName("ARTIFACT").withValue(t.artifact().path()).build());
        }
        for (EnvVar e : t.env()) {
            env.add(env(d.name(), e.name(), e.value(), e.sealed()));
        }
        boolean files = !t.secretFiles().isEmpty();
        if (files) {
            // the app reads its sealed files from $CREDENTIALS_DIRECTORY under systemd; the Secret volume is mounted there
            env.add(new EnvVarBuilder().withName("CREDENTIALS_DIRECTORY").withValue(SECRET_FILES_DIR).build());
        }
        ContainerBuilder c = new ContainerBuilder().withName(CONTAINER).withImage(image)
                .withCommand(t.command()).withArgs(t.args()).withEnv(env)
                .addNewPort().withName("route").withContainerPort(port).withProtocol("TCP").endPort();
        if (files) {
            c.addNewVolumeMount().withName("sealed-files").withMountPath(SECRET_FILES_DIR).withReadOnly(true).endVolumeMount();
        }
        if (t.workingDir() != null) {
            c.withWorkingDir(t.workingDir());
        }
        if (t.readinessProbe() != null) {
            c.withReadinessProbe(probe(t.readinessProbe()));
        }
        if (t.livenessProbe() != null) {
            c.withLivenessProbe(probe(t.livenessProbe()));
        }
        Map<String, Quantity> limits = new LinkedHashMap<>();
        if (t.resources().limits().cpu() != null) {
            limits.put("cpu", new Quantity(t.resources().limits().cpu()));
        }
        if (t.resources().limits().memory() != null) {
            limits.put("memory", new Quantity(t.resources().limits().memory()));
        }
        if (!limits.isEmpty()) {
            c.withNewResources().withLimits(limits).endResources();
        }
        Container container = c.build();

        var pod = new DeploymentBuilder().withNewMetadata().withName(d.name()).withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(s.replicas()).withRevisionHistoryLimit(s.revisionHistoryLimit())
                .withProgressDeadlineSeconds(s.progressDeadlineSeconds())
                // blue/green's promise (the new revision is ready before the old stops serving) as a rolling update
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate().withMaxUnavailable(new IntOrString(0))
                .withMaxSurge(new IntOrString("100%")).endRollingUpdate().endStrategy()
                .withNewSelector().withMatchLabels(selector).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withContainers(container).withTerminationGracePeriodSeconds((long) t.terminationGracePeriodSeconds());
        if (files) {
            pod.addNewVolume().withName("sealed-files").withNewSecret().withSecretName(secretName(d.name()) + "-files")
                    .withItems(t.secretFiles().stream().map(f -> new io.fabric8.kubernetes.api.model.KeyToPath(f.name(), null, f.name())).toList())
                    .endSecret().endVolume();
        }
        if (s.nodeSelector() != null && !s.nodeSelector().isEmpty()) {
            pod.withNodeSelector(new TreeMap<>(s.nodeSelector()));
        }
        if (s.nodeAffinity() != null && !s.nodeAffinity().matchExpressions().isEmpty()) {
            List<NodeSelectorRequirement> reqs = s.nodeAffinity().matchExpressions().stream()
                    .map(x -> new NodeSelectorRequirement(x.key(), x.operator(), x.values())).toList();
            pod.withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .addNewNodeSelectorTerm().withMatchExpressions(reqs).endNodeSelectorTerm()
                    .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity();
        }
        io.fabric8.kubernetes.api.model.apps.Deployment deployment = pod.endSpec().endTemplate().endSpec().build();

        Service service = new ServiceBuilder().withNewMetadata().withName(d.name()).withLabels(labels).endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(selector)
                .addNewPort().withName("route").withPort(port).withTargetPort(new IntOrString("route")).withProtocol("TCP").endPort()
                .endSpec().build();
        return new Objects(deployment, service);
    }

    /**
     * One variable: a sealed one becomes a reference to key {@code name} of Secret {@code <app>-sealed}, never its
     * value (the plain text stays out of the output; create that Secret in the cluster).
     */
    public static io.fabric8.kubernetes.api.model.EnvVar env(String app, String name, String value, boolean sealed) {
        if (sealed) {
            return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secretName(app)).withKey(name)
                    .endSecretKeyRef().endValueFrom().build();
        }
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    public static String secretName(String app) {
        return app + "-sealed";
    }

    private static io.fabric8.kubernetes.api.model.Probe probe(Probe p) {
        ProbeBuilder b = new ProbeBuilder().withInitialDelaySeconds(p.initialDelaySeconds()).withPeriodSeconds(p.periodSeconds())
                .withTimeoutSeconds(p.timeoutSeconds()).withSuccessThreshold(p.successThreshold()).withFailureThreshold(p.failureThreshold());
        if (p.httpGet() != null) {
            Probe.HttpGetAction h = p.httpGet();
            b.withNewHttpGet().withPath(h.path()).withPort(h.port() == null ? new IntOrString("route") : new IntOrString(h.port()))
                    .withScheme(h.scheme()).withHttpHeaders(h.httpHeaders().stream()
                            .map(x -> new io.fabric8.kubernetes.api.model.HTTPHeader(x.name(), x.value())).toList()).endHttpGet();
        } else if (p.tcpSocket() != null) {
            Integer tp = p.tcpSocket().port();
            b.withNewTcpSocket().withPort(tp == null ? new IntOrString("route") : new IntOrString(tp)).endTcpSocket();
        } else if (p.exec() != null) {
            b.withNewExec().withCommand(p.exec().command()).endExec();
        }
        return b.build();
    }
}
