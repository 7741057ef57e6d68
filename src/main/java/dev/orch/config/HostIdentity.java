package dev.orch.config;

import dev.orch.manifest.Rules;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Who this host is in a fleet: {@code orch.host.name} (default the machine's host name), the machine id
 * ({@code /etc/machine-id}, empty when there is none) and {@code orch.host.labels}.
 */
@RegisterForReflection
public record HostIdentity(String name, String machineId, Map<String, String> labels) {
    public HostIdentity {
        labels = new TreeMap<>(labels);
    }

    /** @throws IllegalArgumentException naming the key, the part that is wrong, and the form allowed */
    public static HostIdentity of(Optional<String> name, Optional<String> labels) {
        String n = name.map(String::strip).filter(s -> !s.isEmpty()).orElseGet(HostIdentity::machineHostName);
        return new HostIdentity(n, read(Path.of("/etc/machine-id")), parseLabels(labels.orElse("")));
    }

    public static HostIdentity of(OrchConfig.Host c) {
        return of(c.name(), c.labels());
    }

    /** {@code k=v,k2=v2}; blank gives none. */
    public static Map<String, String> parseLabels(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text.isBlank()) {
            return out;
        }
        for (String raw : text.split(",", -1)) {
            String part = raw.strip();
            int eq = part.indexOf('=');
            String problem = eq < 0 ? "not key=value" : null;
            String key = eq < 0 ? part : part.substring(0, eq).strip();
            String value = eq < 0 ? "" : part.substring(eq + 1).strip();
            if (problem == null) {
                problem = Rules.labelKey(key) != null ? "key: " + Rules.labelKey(key) : Rules.labelValue(value) != null ? "value: " + Rules.labelValue(value) : null;
            }
            if (problem == null && out.containsKey(key)) {
                problem = "label " + key + " given twice";
            }
            if (problem != null) {
                throw new IllegalArgumentException("orch.host.labels=\"" + text + "\" is invalid at \"" + part + "\": " + problem
                        + "; use key=value pairs separated by commas, e.g. environment=staging,role=web");
            }
            out.put(key, value);
        }
        return out;
    }

    private static String machineHostName() {
        String h = read(Path.of("/proc/sys/kernel/hostname"));
        if (h.isEmpty()) {
            h = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
        }
        return h;
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }
}
