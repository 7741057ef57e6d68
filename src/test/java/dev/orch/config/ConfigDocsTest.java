package dev.orch.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.WithName;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every key of {@link OrchConfig} is documented where an operator looks: in systemd/orchd.properties (the
 * file systemd/install puts in /etc/orchd, each key commented with its default) and in the README's
 * configuration table (git keys: docs/gitops.md).
 */
class ConfigDocsTest {
    /** The keys of a mapping interface; map entries get the name "apps", as in the docs. */
    static List<String> keys(Class<?> mapping, String prefix) {
        List<String> keys = new ArrayList<>();
        for (Method m : mapping.getDeclaredMethods()) {
            if (m.isDefault() || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            WithName n = m.getAnnotation(WithName.class);
            String key = prefix + (n != null ? n.value() : kebab(m.getName()));
            Class<?> type = m.getReturnType();
            if (type.isInterface() && type.getName().startsWith(OrchConfig.class.getName() + "$")) {
                keys.addAll(keys(type, key + "."));
            } else if (type == Map.class) {
                Class<?> value = (Class<?>) ((ParameterizedType) m.getGenericReturnType()).getActualTypeArguments()[1];
                keys.addAll(keys(value, key + ".apps."));
            } else {
                keys.add(key);
            }
        }
        return keys;
    }

    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    @Test
    void everyKeyIsInTheShippedConfigFileAndTheDocs() throws Exception {
        List<String> keys = keys(OrchConfig.class, "orch.");
        assertThat(keys).contains("orch.state-dir", "orch.api.group", "orch.api.tcp.port", "orch.watchdog.stall-after",
                "orch.git.repos.apps.url", "orch.git.repos.apps.webhook-secret-file");
        String properties = Files.readString(Path.of("systemd/orchd.properties"));
        String docs = Files.readString(Path.of("README.md")) + Files.readString(Path.of("docs/gitops.md"))
                + Files.readString(Path.of("docs/notifications.md"));
        for (String key : keys) {
            assertThat(properties).as("systemd/orchd.properties documents %s", key)
                    .containsPattern("(?m)^#?" + Pattern.quote(key) + "=");
            // the README's table shortens families (`orch.api.tcp.enabled` / `.host` / `.port`), gitops.md's
            // table names a repository's keys without their prefix
            String last = key.substring(key.lastIndexOf('.') + 1);
            String inRepo = key.replace("orch.git.repos.apps.", "").replace("orch.notify.receivers.apps.", "");
            assertThat(docs.contains("`" + key + "`") || docs.contains("`." + last + "`") || docs.contains("| `" + inRepo + "` |"))
                    .as("README.md, docs/gitops.md or docs/notifications.md documents %s", key).isTrue();
        }
    }
}
