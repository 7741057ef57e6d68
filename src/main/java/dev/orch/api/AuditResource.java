package dev.orch.api;

import dev.orch.reconcile.AppQueries;
import dev.orch.state.AuditEntry;
import dev.orch.state.AuditQuery;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * {@code orchctl audit}: the audit log searched, oldest first, rotated files included. Each entry names its
 * {@code actor} (who) and {@code cause} (why) and {@code source} ({@code git}, {@code api} or {@code controller}).
 */
@RequestScoped
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    @Inject
    AppQueries queries;

    @GET
    public List<AuditItem> search(@QueryParam("app") String app, @QueryParam("since") String since, @QueryParam("source") String source,
            @QueryParam("limit") Integer limit) {
        if (source != null && !source.isEmpty() && !List.of(AuditQuery.GIT, AuditQuery.API, AuditQuery.CONTROLLER).contains(source)) {
            throw Problem.of(Response.Status.BAD_REQUEST, "invalid source \"" + source + "\": use git, api or controller");
        }
        if (limit != null && limit < 0) {
            throw Problem.of(Response.Status.BAD_REQUEST, "invalid limit " + limit + ": give 0 (all) or more");
        }
        AuditQuery q = new AuditQuery(app == null || app.isEmpty() ? null : AppsResource.checkName(app), instant(since),
                source == null || source.isEmpty() ? null : source, limit == null ? 0 : limit);
        return Started.of(queries).audit(q).stream().map(AuditItem::of).toList();
    }

    private static Instant instant(String since) {
        if (since == null || since.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw Problem.of(Response.Status.BAD_REQUEST, "invalid since \"" + since + "\": give an ISO-8601 instant, e.g. 2024-05-01T12:00:00Z");
        }
    }
}
