package dev.orch.api;

import dev.orch.reconcile.AppQueries;
import dev.orch.config.OrchConfig;
import dev.orch.state.ActualState;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.systemd.InstanceId;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;

/** The units and log files of an app's colors, for {@code orchctl logs} (which reads them itself, on the same host). */
@RequestScoped
@Path("/api/v1/apps/{name}/logsources")
@Produces(MediaType.APPLICATION_JSON)
public class LogsResource {
    @Inject
    AppQueries queries;

    @Inject
    OrchConfig config;

    @GET
    public LogSources sources(@PathParam("name") String name) {
        AppsResource.checkName(name);
        ActualState a = Started.of(queries).actual(name).orElse(null);
        if (a == null && queries.desired(name).isEmpty()) {
            throw Problem.of(Response.Status.NOT_FOUND, "app \"" + name + "\" not found");
        }
        boolean process = "process".equals(queries.driverKind());
        java.nio.file.Path logs = config.stateDir().resolve("process").resolve("logs");
        List<LogSources.Source> out = new ArrayList<>();
        for (Color c : Color.values()) {
            ColorState cs = a == null ? null : a.color(c);
            if (cs == null) {
                continue;
            }
            for (int i = 0; i < cs.ports().size(); i++) {
                InstanceId id = new InstanceId(name, c, i);
                out.add(new LogSources.Source(c.wire(), i, id.unitName(), process
                        ? List.of(logs.resolve(id.baseName() + ".stdout.log").toString(), logs.resolve(id.baseName() + ".stderr.log").toString())
                        : List.of()));
            }
        }
        return new LogSources(process ? "process" : "systemd", config.systemd().scope(),
                config.systemd().commandPrefix().orElse(List.of()), out);
    }
}
