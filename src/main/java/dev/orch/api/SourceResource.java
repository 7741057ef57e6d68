package dev.orch.api;


import dev.orch.artifact.ReleaseChannels;
import dev.orch.source.GitRepoSpec;
import dev.orch.source.GitSource;
import dev.orch.source.GitSources;
import dev.orch.source.RepoStatus;
import dev.orch.source.SyncResult;
import dev.orch.source.WebhookSignature;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Git sources: their status, {@code orchctl sync}, and the push webhook (docs/gitops.md). */
@RequestScoped
@Path("/api/v1/sources")
@Produces(MediaType.APPLICATION_JSON)
public class SourceResource {
    private static final Logger LOG = Logger.getLogger(SourceResource.class);

    @Inject
    GitSources gitSources;

    @Inject
    ReleaseChannels channels;

    @GET
    public List<RepoStatus> list() {
        return git().statuses();
    }

    /** Fetches now and waits: what each repository did (commit, apps added, changed, removed, failed). */
    @POST
    @Path("sync")
    public List<SyncResult> sync(@QueryParam("repo") List<String> repos) {
        GitSources git = git();
        channels.refreshAll(); // release channels are looked at again too
        if (git.isEmpty()) {
            throw Problem.of(Response.Status.NOT_FOUND, "no git repository is configured: set orch.git.repos.<name>.url in orchd's configuration");
        }
        try {
            return git.syncNow(repos);
        } catch (IllegalArgumentException e) {
            throw Problem.of(Response.Status.NOT_FOUND, e.getMessage());
        }
    }

    /**
     * Accepts a rewritten branch: fetches and applies the tip even if it does not contain the last applied commit
     * (verification, when on, still applies). 404 for an unknown repository.
     */
    @POST
    @Path("{name}/reset")
    public SyncResult reset(@PathParam("name") String name) {
        GitSources git = git();
        if (git.source(name).isEmpty()) {
            throw Problem.of(Response.Status.NOT_FOUND, "no git repository named \"" + name + "\"; known: " + git.names());
        }
        return git.reset(name);
    }

    /**
     * A push event from GitHub, Gitea or Forgejo: with a valid HMAC-SHA256 signature of the raw body under the
     * repository's shared secret, a fetch starts at once (202); otherwise 401 and nothing happens.
     */
    @POST
    @Path("{name}/webhook")
    public Response webhook(@PathParam("name") String name, byte[] body, @HeaderParam(WebhookSignature.GITHUB) String github,
            @HeaderParam(WebhookSignature.GITEA) String gitea, @HeaderParam(WebhookSignature.FORGEJO) String forgejo) {
        GitSource source = git().source(name).orElseThrow(() -> Problem.of(Response.Status.NOT_FOUND, "no git repository named \"" + name + "\""));
        GitRepoSpec spec = source.spec();
        byte[] secret = null;
        if (spec.webhookSecretFile() != null) {
            try {
                secret = WebhookSignature.secret(Files.readString(spec.webhookSecretFile()));
            } catch (IOException e) {
                LOG.errorf("git %s: cannot read the webhook secret %s: %s", name, spec.webhookSecretFile(), e);
            }
        }
        String problem = WebhookSignature.check(secret, body == null ? new byte[0] : body, github, gitea, forgejo);
        if (problem != null) {
            LOG.warnf("git %s: webhook refused: %s", name, problem);
            throw Problem.of(Response.Status.UNAUTHORIZED, "webhook refused: " + problem);
        }
        git().trigger(name);
        channels.refreshAll();
        return Response.accepted(Map.of("repo", name, "result", "sync started")).build();
    }

    private GitSources git() {
        GitSources git = gitSources;
        if (git == null) {
            throw Problem.of(Response.Status.SERVICE_UNAVAILABLE, "orchd is still starting");
        }
        return git;
    }
}
