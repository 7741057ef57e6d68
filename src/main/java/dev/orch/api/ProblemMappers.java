package dev.orch.api;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every refusal of the REST layer answers problem JSON: the framework's own (404 no such resource, 405 with its
 * Allow header, 406, 415, a query parameter that does not convert) get a body of their status, and anything a
 * resource did not expect is a logged 500 problem, never the framework's text page.
 */
public class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response refused(WebApplicationException e, HttpServerRequest request) {
        Response r = e.getResponse();
        if (r.getEntity() instanceof Problem) {
            return r;
        }
        String allow = r.getStatus() == 405 ? ApiMethods.allow(request.path()).orElse(null) : null;
        String detail = allow != null ? request.method().name() + " is not allowed on " + request.path() + "; allowed: " + allow
                : detail(r.getStatus(), e);
        Response.ResponseBuilder b = Problem.response(Problem.body(r.getStatus(), detail, List.of()));
        if (allow != null) {
            b.header("Allow", allow);
        }
        r.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Allow")) {
                values.forEach(v -> b.header(name, v)); // Allow on a 405, WWW-Authenticate, Retry-After
            }
        });
        return b.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("API request failed", e);
        return Problem.response(Problem.body(500, "orchd failed to answer: " + e, List.of())).build();
    }

    private static String detail(int status, WebApplicationException e) {
        return switch (status) {
            case 404 -> "no such resource; see /api/v1/openapi for the API's paths";
            case 405 -> "method not allowed here";
            case 406 -> "this resource answers application/json only";
            case 415 -> "send the body as application/yaml or application/json";
            default -> e.getMessage() == null ? Problem.title(status) : e.getMessage();
        };
    }
}
