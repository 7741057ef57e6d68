package dev.orch.api;

import dev.orch.reconcile.AppQueries;
import dev.orch.state.ActualState;
import dev.orch.state.AppEvent;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Recent events of every app (or one), oldest first; {@code since} keeps those at or after an instant. */
@RequestScoped
@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {
    @Inject
    AppQueries queries;

    @GET
    public List<EventItem> events(@QueryParam("app") String app, @QueryParam("since") String since) {
        Instant from = parse(since);
        List<String> apps = app == null || app.isEmpty() ? Started.of(queries).apps() : List.of(AppsResource.checkName(app));
        List<EventItem> items = new ArrayList<>();
        for (String a : apps) {
            ActualState s = Started.of(queries).actual(a).orElse(ActualState.EMPTY);
            for (AppEvent e : s.events()) {
                if (from == null || !e.time().isBefore(from)) {
                    items.add(new EventItem(a, e.time(), e.type().wire(), e.reason(), e.message()));
                }
            }
        }
        items.sort(Comparator.comparing(EventItem::time).thenComparing(EventItem::app));
        return items;
    }

    private static Instant parse(String since) {
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
