package dev.orch.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpVersion;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The refusal table: request head -> status and reason (the raw-byte cases are in RouteHostileRequestsIT). */
class RequestChecksTest {
    @ParameterizedTest(name = "{0} {1} [{2}] -> {3}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "HTTP_1_1 | /a         | Host=web                                   | -   | -",
        "HTTP_1_0 | /a         | -                                          | -   | -",
        "HTTP_1_1 | /a         | Host=web;Transfer-Encoding=chunked         | -   | -",
        "HTTP_1_1 | /a         | Host=web;Transfer-Encoding= Chunked        | -   | -",
        "HTTP_1_1 | /a?q=%00   | Host=web                                   | -   | -",
        "HTTP_1_1 | /a         | -                                          | 400 | an HTTP/1.1 request needs a Host header",
        "HTTP_1_1 | /a         | Host=web;Host=web                          | 400 | more than one Host header",
        "HTTP_1_1 | /a         | Host=we\u0001b                             | 400 | control character in the Host header",
        "HTTP_1_1 | /a\u0000b  | Host=web                                   | 400 | control character in the request target",
        "HTTP_1_1 | /a\u001bb  | Host=web                                   | 400 | control character in the request target",
        "HTTP_1_1 | /a\u007fb  | Host=web                                   | 400 | control character in the request target",
        "HTTP_1_1 | /a         | Host=web;Transfer-Encoding=gzip;Content-Length=5 | 400 | Transfer-Encoding together with Content-Length",
        "HTTP_1_1 | /a         | Host=web;Transfer-Encoding=gzip            | 501 | transfer coding not implemented (only chunked is)",
        "HTTP_1_1 | /a         | Host=web;Transfer-Encoding=gzip, chunked   | 501 | transfer coding not implemented (only chunked is)",
        "HTTP_1_1 | /a         | Host=web;Transfer-Encoding=xchunked        | 501 | transfer coding not implemented (only chunked is)",
        "HTTP_1_1 | /a         | Host=web;Transfer-Encoding=chunked, chunked | 400 | chunked applied more than once",
        "HTTP_1_1 | /a         | Host=web;Transfer-Encoding=chunked;Transfer-Encoding=chunked | 400 | chunked applied more than once",
        "HTTP_1_1 | /a         | Host=web;Transfer-Encoding=chunked,        | 400 | malformed Transfer-Encoding",
        "HTTP_1_0 | /a         | Transfer-Encoding=chunked                  | 400 | Transfer-Encoding in an HTTP/1.0 request",
    })
    void refusesWhatRfc9112SaysToRefuse(HttpVersion version, String target, String headers, Integer status, String reason) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        if (headers != null) {
            for (String header : headers.split(";")) {
                h.add(header.substring(0, header.indexOf('=')), header.substring(header.indexOf('=') + 1));
            }
        }

        RequestChecks.Refusal refusal = RequestChecks.refusal(version, target, h);

        assertThat(refusal).isEqualTo(status == null ? null : new RequestChecks.Refusal(status, reason));
    }
}
