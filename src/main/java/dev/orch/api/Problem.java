package dev.orch.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    /** Manifests that parse but break a rule, or do not parse: WebDAV's 422, which {@code Response.Status} lacks. */
    public static final int UNPROCESSABLE_CONTENT = 422;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static Problem body(int status, String detail, List<String> errors) {
        return new Problem("about:blank", title(status), status, detail, List.copyOf(errors));
    }

    public static WebApplicationException of(Response.Status status, String detail) {
        return of(status.getStatusCode(), detail);
    }

    public static WebApplicationException of(Response.Status status, String detail, List<String> errors) {
        return of(status.getStatusCode(), detail, errors);
    }

    public static WebApplicationException of(int status, String detail) {
        return of(status, detail, List.of());
    }

    public static WebApplicationException of(int status, String detail, List<String> errors) {
        return new WebApplicationException(response(body(status, detail, errors)).build());
    }

    static Response.ResponseBuilder response(Problem p) {
        return Response.status(p.status()).type(MEDIA_TYPE).entity(p);
    }

    /** The body as JSON, for answers written below the REST layer (Vert.x routes). */
    public String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // strings, an int and a list of strings always serialise
        }
    }

    /** The status's reason phrase (RFC 9110), also for codes {@code Response.Status} does not know. */
    static String title(int status) {
        return switch (status) {
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 422 -> "Unprocessable Content";
            case 431 -> "Request Header Fields Too Large";
            default -> {
                Response.Status s = Response.Status.fromStatusCode(status);
                yield s != null ? s.getReasonPhrase() : status >= 500 ? "Server Error" : "Client Error";
            }
        };
    }
}
