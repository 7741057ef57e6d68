package dev.orch.systemd;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/** Chooses the service driver orchd runs apps with. */
public final class ServiceDrivers {
    private static final Logger LOG = Logger.getLogger(ServiceDrivers.class);
    /** sd_booted(3): this directory exists exactly when systemd is the running init system. */
    public static final Path SYSTEMD_BOOTED_MARKER = Path.of("/run/systemd/system");

    private ServiceDrivers() {}

    public static ServiceDriver detect(DriverMode mode, SystemdConfig systemd, ProcessDriverConfig process) {
        return detect(mode, systemd, java.util.Optional.empty(), process);
    }

    /** @param busSocket the manager's private D-Bus socket, if not where the scope puts it */
    public static ServiceDriver detect(DriverMode mode, SystemdConfig systemd, java.util.Optional<Path> busSocket, ProcessDriverConfig process) {
        return detect(mode, systemd, process, SYSTEMD_BOOTED_MARKER, busSocket.orElseGet(systemd::privateSocket));
    }

    public static ServiceDriver detect(DriverMode mode, SystemdConfig systemd, ProcessDriverConfig process, Path bootedMarker) {
        return detect(mode, systemd, process, bootedMarker, systemd.privateSocket());
    }

    /** @param bootedMarker the directory whose presence means systemd runs (a parameter so tests can vary it) */
    private static ServiceDriver detect(DriverMode mode, SystemdConfig systemd, ProcessDriverConfig process, Path bootedMarker, Path busSocket) {
        boolean booted = Files.isDirectory(bootedMarker);
        ServiceDriver d = switch (mode) {
            case SYSTEMD -> SystemdDriver.connect(systemd, busSocket);
            case PROCESS -> new ProcessDriver(process);
            case AUTO -> booted ? SystemdDriver.connect(systemd, busSocket) : new ProcessDriver(process);
        };
        LOG.infof("service driver: %s (configured %s; %s %s)", d.kind(), mode.name().toLowerCase(java.util.Locale.ROOT),
                bootedMarker, booted ? "exists, systemd is running" : "is missing, systemd is not PID 1");
        return d;
    }
}
