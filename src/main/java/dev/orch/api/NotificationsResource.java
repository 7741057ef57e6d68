package dev.orch.api;

import dev.orch.notify.Notifier;
import dev.orch.notify.ReceiverStatus;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** Notification receivers with their counts, last delivery and last error (docs/notifications.md). */
@RequestScoped
@Path("/api/v1/notifications")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationsResource {
    @Inject
    Notifier notifier;

    @GET
    public List<ReceiverStatus> list() {
        return notifier.statuses();
    }
}
