package dev.orch.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

@Path("/api/v1/apps")
@Produces(MediaType.APPLICATION_JSON)
public class AppsResource {
    @GET
    public List<AppSummary> list() {
        return List.of();
    }
}
