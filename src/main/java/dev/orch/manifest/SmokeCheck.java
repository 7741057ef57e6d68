package dev.orch.manifest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * One HTTP request sent to the new color before the switch ({@code strategy.blueGreen.smokeChecks}); the rollout is
 * aborted unless the answer has {@code expectStatus}.
 *
 * @param path request path, starting with '/'
 * @param method HTTP method (default GET), sent without a body
 * @param headers extra request headers
 * @param expectStatus the status the answer must have (default 200)
 * @param timeoutSeconds how long the answer may take, connecting included (default 5)
 */
@RegisterForReflection
public record SmokeCheck(String path, String method, List<Probe.HttpHeader> headers, int expectStatus, int timeoutSeconds) {
    public static final String DEFAULT_METHOD = "GET";
    public static final int DEFAULT_EXPECT_STATUS = 200;
    public static final int DEFAULT_TIMEOUT_SECONDS = 5;
    public static final int MAX_TIMEOUT_SECONDS = 60;
    public static final int MAX_CHECKS = 20;
    public static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** Headers the HTTP client sets itself (and the JDK's client refuses to take from a caller). */
    public static final List<String> RESERVED_HEADERS = List.of("connection", "content-length", "expect", "host", "upgrade");

    public SmokeCheck {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** {@code GET /smoke}, for messages. */
    public String describe() {
        return method + " " + path;
    }
}
