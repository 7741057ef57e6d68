package dev.orch.systemd;

/**
 * An instance definition found on the host that carries orch's marker.
 *
 * @param revision value of {@code X-Orch-Revision}
 * @param source value of {@code X-Orch-Source}
 * @param port value of {@code X-Orch-Port}
 */
public record InstalledInstance(InstanceId id, String revision, String source, int port) {}
