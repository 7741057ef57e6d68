package dev.orch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orch.api.AppStatus;
import dev.orch.manifest.Manifests;
import java.io.IOException;
import java.util.List;

/**
 * {@code get -o yaml|json}: each app as Kubernetes prints an object, the manifest as it would be applied (every
 * default filled in) plus a {@code status:} section; {@code apply -f} takes the output back and ignores the status.
 */
final class AppObjects {
    private AppObjects() {}

    static String yaml(List<AppStatus> apps) {
        StringBuilder sb = new StringBuilder();
        for (AppStatus a : apps) {
            sb.append(Manifests.toYaml(a.desired().deployment())); // a document of its own, from "---"
            ObjectNode status = JsonNodeFactory.instance.objectNode();
            status.set("status", status(a));
            sb.append(Output.format(status, "yaml"));
        }
        return sb.toString();
    }

    /** One object, or kubectl's {@code kind: List} with {@code items} for several. */
    static String json(List<AppStatus> apps, boolean single) {
        if (single && apps.size() == 1) {
            return Output.format(object(apps.getFirst()), "json");
        }
        ObjectNode list = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "List");
        ArrayNode items = list.putArray("items");
        apps.forEach(a -> items.add(object(a)));
        return Output.format(list, "json");
    }

    private static ObjectNode object(AppStatus a) {
        try {
            ObjectNode o = (ObjectNode) ApiClient.JSON.readTree(Manifests.toJson(a.desired().deployment()));
            o.set("status", status(a));
            return o;
        } catch (IOException e) {
            throw new CliException("cannot print " + a.summary().name() + " as json: " + e.getMessage(), e);
        }
    }

    /** The summary's columns first, then what actual.json holds and each color's readiness. */
    private static ObjectNode status(AppStatus a) {
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        var sum = a.summary();
        s.put("phase", sum.status());
        if (sum.live() != null) {
            s.put("live", sum.live());
        }
        s.put("revision", sum.revision());
        s.put("ready", sum.ready());
        if (sum.release() != null) {
            s.put("release", sum.release()); // the release-channel version the live revision runs
        }
        s.put("generation", a.desired().generation());
        s.set("source", Output.tree(a.desired().source())); // git: repository, revision, path
        if (a.pin() != null) {
            s.set("pin", Output.tree(a.pin())); // held by undo or a forced delete until a commit changes the app
        }
        s.setAll((ObjectNode) Output.tree(a.status()));
        s.set("colors", Output.tree(a.colors()));
        return s;
    }
}
