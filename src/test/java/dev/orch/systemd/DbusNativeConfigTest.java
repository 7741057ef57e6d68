package dev.orch.systemd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every interface DbusManager proxies and every signal it handles is registered for a native image. */
class DbusNativeConfigTest {
    static final Path SOURCE = Path.of("src/main/java/dev/orch/systemd/DbusManager.java");

    static List<Class<?>> classesIn(String source, Pattern p) throws ClassNotFoundException {
        List<Class<?>> out = new ArrayList<>();
        Matcher m = p.matcher(source);
        while (m.find()) {
            String name = m.group(1);
            out.add(switch (name) {
                case "Systemd1.Manager" -> Systemd1.Manager.class;
                case "Systemd1.Manager.JobRemoved" -> Systemd1.Manager.JobRemoved.class;
                case "Properties" -> org.freedesktop.dbus.interfaces.Properties.class;
                case "Properties.PropertiesChanged" -> org.freedesktop.dbus.interfaces.Properties.PropertiesChanged.class;
                default -> throw new AssertionError("DbusManager uses " + name + ": register it in DbusNativeConfig"
                        + " (and proxy-config.json for an interface), then name it here");
            });
        }
        return out;
    }

    @Test
    void proxiedInterfacesAndSignalsAreRegistered() throws Exception {
        String source = Files.readString(SOURCE);
        List<Class<?>> proxied = classesIn(source, Pattern.compile("getRemoteObject\\([^;]*?, ([\\w.]+)\\.class\\)"));
        List<Class<?>> signals = classesIn(source, Pattern.compile("addSigHandler\\(([\\w.]+)\\.class"));
        assertThat(proxied).isNotEmpty();
        assertThat(signals).isNotEmpty();

        List<String> proxyConfig = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/native-image/dev.orch/orch/proxy-config.json")) {
            new ObjectMapper().readTree(in).forEach(e -> e.get("interfaces").forEach(i -> proxyConfig.add(i.asText())));
        }
        List<Class<?>> reflected = Arrays.asList(DbusNativeConfig.class.getAnnotation(RegisterForReflection.class).targets());
        for (Class<?> c : proxied) {
            assertThat(proxyConfig).as("proxy-config.json").contains(c.getName());
            assertThat(reflected).as("reflection targets").contains(c);
        }
        assertThat(reflected).as("reflection targets").containsAll(signals);
    }
}
