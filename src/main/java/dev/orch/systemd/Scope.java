package dev.orch.systemd;

/** Which systemd instance manages orch's units: the system manager (production) or the user's (development). */
public enum Scope {
    SYSTEM,
    USER
}
