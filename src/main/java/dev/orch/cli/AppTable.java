package dev.orch.cli;

import dev.orch.api.AppSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** kubectl-style aligned table: columns padded to the widest cell plus three spaces. */
final class AppTable {
    private AppTable() {}

    static final String[] HEADER = {"NAME", "LIVE", "REVISION", "READY", "STATUS", "AGE"};
    static final String[] WIDE = {"HASH", "ROUTE", "SOURCE"};

    static String render(List<AppSummary> apps, Instant now) {
        return render(apps, now, false);
    }

    static String render(List<AppSummary> apps, Instant now, boolean wide) {
        List<String[]> rows = new ArrayList<>();
        rows.add(wide ? concat(HEADER, WIDE) : HEADER);
        for (AppSummary a : apps) {
            rows.add(row(a, now, wide));
        }
        return Tables.align(rows);
    }

    static String[] row(AppSummary a, Instant now, boolean wide) {
        String[] base = {
                a.name(),
                a.live() == null ? "<none>" : a.live(),
                a.revision() == 0 ? "<none>" : Long.toString(a.revision()),
                a.ready(),
                a.status(),
                a.created() == null ? "<unknown>" : age(Duration.between(a.created(), now)),
            };
        return wide ? concat(base, new String[] {or(a.hash()), or(a.route()), or(a.source())}) : base;
    }

    private static String or(String s) {
        return s == null ? "<none>" : s;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
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
