package dev.orch.systemd;

/**
 * The files of one instance.
 *
 * @param unitName file name of the unit, e.g. {@code orch-web-blue-0.service}
 * @param unitText the unit file text
 * @param envFileName file name of the environment file (mode 0600), in the configured env directory
 * @param envText its text: every variable the process gets, including secrets, which never enter the unit
 */
public record RenderedUnit(String unitName, String unitText, String envFileName, String envText) {}
