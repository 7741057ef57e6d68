package dev.orch.cli;

import dev.orch.notify.ReceiverStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code orchctl get notifications}: one row per receiver. */
final class NotificationsTable {
    private NotificationsTable() {
    }

    static String render(List<ReceiverStatus> receivers, Instant now) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NAME", "TYPE", "URL", "SENT", "FAILED", "DROPPED", "QUEUED", "LAST DELIVERY", "LAST ERROR"});
        for (ReceiverStatus r : receivers) {
            rows.add(new String[] {r.name(), r.type(), r.url(), String.valueOf(r.sent()), String.valueOf(r.failed()),
                    String.valueOf(r.dropped()), String.valueOf(r.queued()),
                    r.lastDelivery() == null ? "<none>" : AppTable.age(java.time.Duration.between(r.lastDelivery(), now)) + " ago",
                    r.lastError() == null ? "<none>" : (r.failing() ? "failing: " : "") + r.lastError()});
        }
        return Tables.align(rows);
    }
}
