package dev.orch.systemd;

import dev.orch.state.Color;
import java.util.Optional;

/**
 * The {@code X-Orch-*} keys in the {@code [Unit]} section by which orch recognises its own units. systemd
 * ignores {@code X-} keys; a unit without {@link #APP} is never listed, changed or removed by orch.
 */
public final class Markers {
    public static final String FORMAT = "X-Orch-Format";
    public static final String APP = "X-Orch-App";
    public static final String COLOR = "X-Orch-Color";
    public static final String REPLICA = "X-Orch-Replica";
    public static final String REVISION = "X-Orch-Revision";
    public static final String SOURCE = "X-Orch-Source";
    public static final String PORT = "X-Orch-Port";

    private Markers() {}

    /** The instance a unit file describes, when it carries orch's markers and they agree with its file name. */
    public static Optional<InstalledInstance> read(String unitName, String text) {
        Optional<InstanceId> byName = InstanceId.fromUnitName(unitName);
        if (byName.isEmpty()) {
            return Optional.empty();
        }
        Optional<UnitFile.Section> unit = UnitFile.parse(text).section("Unit");
        if (unit.isEmpty()) {
            return Optional.empty();
        }
        UnitFile.Section s = unit.get();
        Optional<String> app = s.last(APP);
        if (app.isEmpty()) {
            return Optional.empty();
        }
        try {
            InstanceId id = new InstanceId(
                    app.get(), Color.fromWire(s.last(COLOR).orElse("")), Integer.parseInt(s.last(REPLICA).orElse("-1")));
            if (!id.equals(byName.get())) {
                return Optional.empty();
            }
            return Optional.of(new InstalledInstance(
                    id, s.last(REVISION).orElse(""), s.last(SOURCE).orElse(""), Integer.parseInt(s.last(PORT).orElse("0"))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
