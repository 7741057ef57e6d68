package dev.orch.systemd;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.ObjectPath;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.interfaces.Properties;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.UInt64;
import org.freedesktop.dbus.types.Variant;

/**
 * What dbus-java reaches by reflection, registered for a GraalVM native image: the remote interfaces it reads
 * methods and annotations of (their {@code java.lang.reflect.Proxy} classes are in
 * {@code META-INF/native-image/dev.orch/orch/proxy-config.json}), the signal classes it builds through their
 * constructors, and the wire types it converts arguments to. Prepared for native builds, which cannot run
 * here (see native/README.md); {@code DbusNativeConfigTest} keeps it in step with {@link DbusManager}.
 */
@RegisterForReflection(targets = {
        Systemd1.Manager.class,
        Systemd1.Manager.JobRemoved.class,
        Properties.class,
        Properties.PropertiesChanged.class,
        DBusInterface.class,
        DBusPath.class,
        ObjectPath.class,
        UInt32.class,
        UInt64.class,
        Variant.class,
})
final class DbusNativeConfig {
    private DbusNativeConfig() {}
}
