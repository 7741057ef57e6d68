package dev.orch.api;

import dev.orch.secrets.AgeException;
import dev.orch.secrets.Sealer;
import dev.orch.secrets.SealingKeys;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The host's sealing keys, public parts only (docs/secrets.md): list, rotate, and reseal a ciphertext to the
 * newest key. Nothing here ever answers with plain text.
 */
@RequestScoped
@Path("/api/v1/sealing-keys")
@Produces(MediaType.APPLICATION_JSON)
public class SealingKeysResource {
    @RegisterForReflection
    public record KeyInfo(int number, String recipient) {}

    @RegisterForReflection
    public record ResealRequest(String app, String sealedValue) {}

    @RegisterForReflection
    public record Sealed(String sealedValue) {}

    @Inject
    Sealer sealer;

    /** Oldest first; the last one seals. */
    @GET
    public List<KeyInfo> list() {
        return sealer().keys().list().stream().map(k -> new KeyInfo(k.number(), k.recipient())).toList();
    }

    @POST
    public KeyInfo rotate() {
        SealingKeys.Key k = sealer().keys().rotate();
        return new KeyInfo(k.number(), k.recipient());
    }

    @POST
    @Path("/reseal")
    @Consumes(MediaType.APPLICATION_JSON)
    public Sealed reseal(ResealRequest req) {
        if (req == null || req.app() == null || req.sealedValue() == null) {
            throw Problem.of(Response.Status.BAD_REQUEST, "give app and sealedValue");
        }
        AppsResource.checkName(req.app());
        try {
            return new Sealed(sealer().reseal(req.app(), req.sealedValue()));
        } catch (AgeException e) {
            throw Problem.of(Problem.UNPROCESSABLE_CONTENT, "the sealed value does not open: " + e.getMessage());
        }
    }

    private Sealer sealer() {
        if (sealer == null) {
            throw Problem.of(Response.Status.SERVICE_UNAVAILABLE, "orchd has no sealing keys: is the age command installed?");
        }
        return sealer;
    }
}
