package dev.orch.api;

import dev.orch.state.AuditEntry;
import dev.orch.state.AuditQuery;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.Map;

/** One audit entry as {@code GET /api/v1/audit} answers it: the stored entry and where its change came from. */
@RegisterForReflection
public record AuditItem(Instant time, String app, String action, String actor, String cause, String source, Map<String, String> details) {
    static AuditItem of(AuditEntry e) {
        return new AuditItem(e.time(), e.app(), e.action(), e.actor(), e.cause(), AuditQuery.sourceOf(e), e.details());
    }
}
