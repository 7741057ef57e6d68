package dev.orch.systemd;

import java.util.Map;
import java.util.TreeMap;

/**
 * The opened secrets of one color, held in memory only between opening and writing them to the driver's
 * runtime directory. {@link #toString()} never shows a value.
 *
 * @param credentials credential name to its bytes (every sealed env var and every sealed file)
 * @param env the sealed env vars' values, for apps that only read their environment
 */
public record SecretPayload(Map<String, byte[]> credentials, Map<String, String> env) {
    public static final SecretPayload NONE = new SecretPayload(Map.of(), Map.of());

    public SecretPayload {
        credentials = new TreeMap<>(credentials);
        env = new TreeMap<>(env);
    }

    public boolean isEmpty() {
        return credentials.isEmpty();
    }

    @Override
    public String toString() {
        return "SecretPayload" + credentials.keySet();
    }
}
