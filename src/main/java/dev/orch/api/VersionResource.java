package dev.orch.api;

import dev.orch.version.BuildInfo;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/v1/version")
@Produces(MediaType.APPLICATION_JSON)
public class VersionResource {
    @GET
    public VersionInfo version() {
        return new VersionInfo(BuildInfo.version());
    }
}
