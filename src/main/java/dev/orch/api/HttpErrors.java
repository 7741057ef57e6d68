package dev.orch.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Problem JSON for what is refused below the REST resources: a path no route serves (404, not Vert.x's HTML),
 * a method the OpenAPI document does not serve (405 with Allow; the document's own route answers any method),
 * a body over {@code quarkus.http.limits.max-body-size} (413, not an empty answer) and any other failure of a
 * route.
 */
@ApplicationScoped
public class HttpErrors {
    static final Set<HttpMethod> DOCUMENT_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD);
    /**
     * orchd's own limits on a request's headers and target, answered with problem JSON. The HTTP decoder's
     * limits (application.properties) are set far above them, since what the decoder refuses gets an empty
     * answer before any route runs.
     */
    static final int MAX_HEADER_BYTES = 20 * 1024;
    static final int MAX_TARGET_BYTES = 8 * 1024;

    @ConfigProperty(name = "quarkus.smallrye-openapi.path", defaultValue = "/api/v1/openapi")
    String openapiPath;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
    MemorySize maxBody;

    void routes(@Observes Router router) {
        // after ApiAuth (Integer.MIN_VALUE): a caller without the token learns nothing about paths or limits
        router.route().order(Integer.MIN_VALUE + 1).handler(rc -> {
            String path = rc.request().path();
            if ((path.equals(openapiPath) || path.startsWith(openapiPath + ".")) && !DOCUMENT_METHODS.contains(rc.request().method())) {
                rc.response().putHeader("Allow", "GET, HEAD");
                answer(rc, 405, rc.request().method().name() + " is not served here; allowed: GET, HEAD");
                return;
            }
            if (rc.request().uri().length() > MAX_TARGET_BYTES) {
                rc.response().putHeader("Connection", "close");
                answer(rc, 414, "the request target has " + rc.request().uri().length() + " bytes; orchd accepts at most " + MAX_TARGET_BYTES);
                return;
            }
            int headerBytes = 0;
            for (var h : rc.request().headers()) {
                headerBytes += h.getKey().length() + h.getValue().length() + 4;
            }
            if (headerBytes > MAX_HEADER_BYTES) {
                rc.response().putHeader("Connection", "close");
                answer(rc, 431, "the request headers have " + headerBytes + " bytes; orchd accepts at most " + MAX_HEADER_BYTES);
                return;
            }
            String length = rc.request().getHeader("Content-Length");
            if (length != null && tooLarge(length)) {
                rc.response().putHeader("Connection", "close");
                answer(rc, 413, "the body has " + length + " bytes; orchd accepts at most " + maxBody.asLongValue()
                        + " (quarkus.http.limits.max-body-size); a manifest file may have at most 1 MiB");
                return;
            }
            rc.next();
        });
        router.route().order(Integer.MIN_VALUE).failureHandler(rc -> {
            if (rc.response().headWritten()) {
                rc.next();
                return;
            }
            int status = rc.statusCode() > 0 ? rc.statusCode() : 500;
            answer(rc, status, status == 413 ? "the body is over quarkus.http.limits.max-body-size (" + maxBody.asLongValue() + " bytes)"
                    : rc.failure() == null ? Problem.title(status) : "orchd failed to answer: " + rc.failure());
        });
        router.errorHandler(404, rc -> answer(rc, 404, "no such resource: " + rc.request().path() + "; see " + openapiPath + " for the API's paths"));
        router.errorHandler(405, rc -> answer(rc, 405, rc.request().method().name() + " is not allowed on " + rc.request().path()));
    }

    private boolean tooLarge(String length) {
        try {
            return Long.parseLong(length.strip()) > maxBody.asLongValue();
        } catch (NumberFormatException e) {
            return false; // Vert.x's own parser refuses it
        }
    }

    static void answer(RoutingContext rc, int status, String detail) {
        if (rc.response().ended()) {
            return;
        }
        rc.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE).end(Problem.body(status, detail, List.of()).json());
    }
}
