package dev.orch.systemd;

import org.freedesktop.dbus.DBusPath;
import org.freedesktop.dbus.annotations.DBusInterfaceName;
import org.freedesktop.dbus.exceptions.DBusException;
import org.freedesktop.dbus.interfaces.DBusInterface;
import org.freedesktop.dbus.messages.DBusSignal;
import org.freedesktop.dbus.types.UInt32;

/** The part of systemd's D-Bus API ({@code org.freedesktop.systemd1}, see org.freedesktop.systemd1(5)) orch uses. */
public final class Systemd1 {
    public static final String OBJECT = "/org/freedesktop/systemd1";
    public static final String UNIT = "org.freedesktop.systemd1.Unit";
    public static final String SERVICE = "org.freedesktop.systemd1.Service";

    private Systemd1() {}

    @DBusInterfaceName("org.freedesktop.systemd1.Manager")
    public interface Manager extends DBusInterface {
        DBusPath StartUnit(String name, String mode);

        DBusPath StopUnit(String name, String mode);

        DBusPath RestartUnit(String name, String mode);

        /** The unit's object if the manager has it in memory; NoSuchUnit otherwise (loads nothing). */
        DBusPath GetUnit(String name);

        void ResetFailedUnit(String name);

        void Reload();

        /** Without it the manager sends no unit signals to this client. */
        void Subscribe();

        /** A job finished; {@code result} is "done", "canceled", "timeout", "failed", "dependency" or "skipped". */
        class JobRemoved extends DBusSignal {
            private final long id;
            private final String job;
            private final String unit;
            private final String result;

            public JobRemoved(String path, UInt32 id, DBusPath job, String unit, String result) throws DBusException {
                super(path, id, job, unit, result);
                this.id = id.longValue();
                this.job = job.getPath();
                this.unit = unit;
                this.result = result;
            }

            public long id() {
                return id;
            }

            public String job() {
                return job;
            }

            public String unit() {
                return unit;
            }

            public String result() {
                return result;
            }
        }
    }
}
