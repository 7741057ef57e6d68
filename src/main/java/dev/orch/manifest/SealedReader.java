package dev.orch.manifest;

import dev.orch.manifest.NodeReader.Obj;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;

/** Reads sealed values ({@code env[].sealedValue}, {@code template.secretFiles}); the ciphertext is checked for form only. */
final class SealedReader {
    static final List<String> SECRET_FILE_FIELDS = List.of("name", "sealedValue");
    static final String ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
    static final String ARMOR_END = "-----END AGE ENCRYPTED FILE-----";
    /** A credential name systemd accepts and a plain file name: no slash, no leading dot. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    private final NodeReader r;

    SealedReader(NodeReader r) {
        this.r = r;
    }

    /** The armored ciphertext at {@code o.key}, or null after reporting why it is not one. */
    String sealedValue(Obj o, String key) {
        String v = o.has(key) ? r.text(o.node(key), o.path(key)) : null;
        if (v == null) {
            return null;
        }
        String t = v.strip();
        if (!t.startsWith(ARMOR_BEGIN) || !t.endsWith(ARMOR_END)) {
            r.error(o.node(key), o.path(key), "must be age armored ciphertext (" + ARMOR_BEGIN
                    + " ... " + ARMOR_END + "): make one with orchctl seal or age -a -r (see docs/secrets.md)");
            return null;
        }
        return t + "\n";
    }

    List<SecretFile> secretFiles(Obj t, List<EnvVar> env) {
        List<Node> items = r.list(t.node("secretFiles"), t.path("secretFiles"), "{name, sealedValue} mappings");
        if (items == null) {
            return null;
        }
        Map<String, String> taken = new HashMap<>();
        for (int i = 0; env != null && i < env.size(); i++) {
            if (env.get(i).sealed()) {
                taken.put(env.get(i).name(), "env[" + i + "]");
            }
        }
        List<SecretFile> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String itemPath = t.path("secretFiles") + "[" + i + "]";
            Obj f = r.object(item, item.getStartMark(), itemPath, SECRET_FILE_FIELDS);
            if (f == null) {
                continue;
            }
            String name = f.require("name") ? f.string("name", null) : null;
            String sealed = f.require("sealedValue") ? sealedValue(f, "sealedValue") : null;
            if (name == null) {
                continue;
            }
            if (!FILE_NAME.matcher(name).matches()) {
                r.error(f.node("name"), f.path("name"), "must be 1 to 64 of A-Z a-z 0-9 _ . - (not starting with . or -), got \""
                        + name + "\"");
            } else if (taken.containsKey(name)) {
                r.error(f.node("name"), f.path("name"), "\"" + name + "\" is already a credential (" + taken.get(name)
                        + "): every sealed env var is also delivered as a credential of its name");
            }
            taken.putIfAbsent(name, "secretFiles[" + i + "]");
            out.add(new SecretFile(name, sealed));
        }
        return out;
    }
}
