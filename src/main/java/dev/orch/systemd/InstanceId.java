package dev.orch.systemd;

import dev.orch.manifest.DeploymentSpec;
import dev.orch.manifest.Rules;
import dev.orch.state.Color;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One process slot of an app: app, color and replica index. Its systemd unit is
 * {@code orch-<app>-<color>-<replica>.service} (a plain unit, see docs/systemd.md for why not a template).
 */
public record InstanceId(String app, Color color, int replica) {
    /** Splits a unit name; the app and the replica index are then checked by the constructor's rules. */
    private static final Pattern UNIT = Pattern.compile("orch-([a-z0-9-]+)-(blue|green)-(0|[1-9][0-9]{0,8})\\.service");
    public static final String UNIT_PREFIX = "orch-";

    public InstanceId {
        // the manifest loader checked the name already; checked again because it becomes a unit and file name
        Rules.requireAppName(app);
        if (color == null) {
            throw new IllegalArgumentException("color is required");
        }
        if (replica < 0 || replica >= DeploymentSpec.MAX_REPLICAS) {
            throw new IllegalArgumentException("replica index out of range: " + replica + " (an app has at most "
                    + DeploymentSpec.MAX_REPLICAS + " replicas per color)");
        }
    }

    public String unitName() {
        return UNIT_PREFIX + app + "-" + color.wire() + "-" + replica + ".service";
    }

    /** Name of the instance without the unit suffix, used for env and log files. */
    public String baseName() {
        return UNIT_PREFIX + app + "-" + color.wire() + "-" + replica;
    }

    /** The instance a unit name denotes, if it has orch's naming pattern (the marker inside decides ownership). */
    public static Optional<InstanceId> fromUnitName(String unit) {
        Matcher m = UNIT.matcher(unit);
        if (!m.matches()) {
            return Optional.empty();
        }
        int replica = Integer.parseInt(m.group(3));
        if (Rules.appNameArgument(m.group(1)) != null || replica >= DeploymentSpec.MAX_REPLICAS) {
            return Optional.empty(); // orch never names a unit so: someone else's
        }
        return Optional.of(new InstanceId(m.group(1), Color.fromWire(m.group(2)), replica));
    }

    @Override
    public String toString() {
        return baseName();
    }
}
