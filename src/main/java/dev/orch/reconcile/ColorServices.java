package dev.orch.reconcile;

import dev.orch.manifest.Artifact;
import dev.orch.manifest.Template;
import dev.orch.state.ArtifactStore;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.Revision;
import dev.orch.state.Source;
import dev.orch.state.SourceKind;
import dev.orch.systemd.InstanceId;
import dev.orch.systemd.ServiceSpec;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The service instances a color runs for its revision: one per replica, each on its own port. */
final class ColorServices {
    private ColorServices() {}

    static List<ServiceSpec> specs(String app, Color color, ColorState cs, Revision rev, ArtifactStore artifacts) {
        Template t = rev.deployment().spec().template();
        String artifactPath = artifactPath(t.artifact(), rev.artifactSha256(), rev.artifactVersion(), artifacts);
        List<ServiceSpec> specs = new ArrayList<>(cs.ports().size());
        for (int i = 0; i < cs.ports().size(); i++) {
            specs.add(new ServiceSpec(new InstanceId(app, color, i), rev.hash(), source(rev.source()), cs.ports().get(i), t, artifactPath));
        }
        return specs;
    }

    static List<InstanceId> ids(String app, Color color, int replicas) {
        List<InstanceId> ids = new ArrayList<>(replicas);
        for (int i = 0; i < replicas; i++) {
            ids.add(new InstanceId(app, color, i));
        }
        return ids;
    }

    /** The revision's own copy in the artifact store; null without an artifact. */
    static String artifactPath(Artifact a, String sha256, String version, ArtifactStore artifacts) {
        if (a == null || sha256 == null) {
            return null;
        }
        return artifacts.pathFor(sha256, fileName(a, version)).toString();
    }

    /** A channel release's file name, from the pattern and the version the revision resolved to. */
    static String fileName(Artifact a, String version) {
        if (a.channel() != null) {
            return version == null ? "artifact" : a.channel().fileName(version);
        }
        return fileName(a);
    }

    static String fileName(Artifact a) {
        String p = a.path() != null ? a.path() : URI.create(a.url()).getPath();
        Path name = Path.of(p == null || p.isEmpty() ? "artifact" : p).getFileName();
        return name == null ? "artifact" : name.toString();
    }

    /** {@code apply}, or {@code git:<repository>//<path>@<revision>} for the units' X-Orch-Source. */
    static String source(Source s) {
        if (s.type() == SourceKind.APPLY) {
            return "apply";
        }
        return "git:" + s.repository() + "//" + s.path() + "@" + s.revision();
    }
}
