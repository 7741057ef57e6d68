package dev.orch.cli;

import dev.orch.api.AppSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** kubectl-style aligned table: columns padded to the widest cell plus three spaces. */
final class AppTable {
    private AppTable() {}

    static String render(List<AppSummary> apps, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "LIVE", "REVISION", "READY", "STATUS", "AGE"});
        for (AppSummary a : apps) {
            rows.add(new String[] {
                a.name(),
                a.live() == null ? "<none>" : a.live(),
                a.revision() == 0 ? "<none>" : Long.toString(a.revision()),
                a.ready(),
                a.status(),
                a.created() == null ? "<unknown>" : age(Duration.between(a.created(), now)),
            });
        }
        return Tables.align(rows);
    }

    /** kubectl's short ages: 45s, 12m, 5h, 3d. */
    static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 3600 * 2) {
            return (s / 60) + "m";
        }
        if (s < 86400 * 2) {
            return (s / 3600) + "h";
        }
        return (s / 86400) + "d";
    }
}
