package dev.orch.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * RFC 9457 problem details, the body of every API error. {@code errors} carries the manifest loader's
 * {@code FILE:LINE:COL: field: message} lines when a manifest was refused.
 */
@RegisterForReflection
public record Problem(String type, String title, int status, String detail, List<String> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static WebApplicationException of(Response.Status status, String detail) {
        return of(status, detail, List.of());
    }

    public static WebApplicationException of(Response.Status status, String detail, List<String> errors) {
        Problem p = new Problem("about:blank", status.getReasonPhrase(), status.getStatusCode(), detail, errors);
        return new WebApplicationException(Response.status(status).type(MEDIA_TYPE).entity(p).build());
    }
}
