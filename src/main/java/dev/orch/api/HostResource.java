package dev.orch.api;

import dev.orch.config.HostIdentity;
import dev.orch.source.GitSources;
import dev.orch.source.PlacementRow;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** This host in a fleet: its identity ({@code orchctl get host}) and which apps of the repositories it runs ({@code get placement}). */
@RequestScoped
@Path("/api/v1/host")
@Produces(MediaType.APPLICATION_JSON)
public class HostResource {
    @Inject
    HostIdentity host;

    @Inject
    GitSources gitSources;

    @GET
    public HostIdentity host() {
        return Started.of(host);
    }

    @GET
    @Path("placement")
    public List<PlacementRow> placement() {
        return Started.of(gitSources).placement();
    }
}
