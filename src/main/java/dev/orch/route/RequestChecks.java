package dev.orch.route;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What RFC 9112 tells a proxy to refuse instead of forwarding, decided on the parsed request head alone. A request
 * whose body length two parsers could read differently (the root of request smuggling) is never forwarded: the
 * route answers and closes the connection, so nothing pipelined behind it is served either. Netty's decoder (in its
 * RFC 9112 mode, the default) already fails {@code chunked} with a Content-Length, {@code chunked} not last, and
 * Transfer-Encoding in HTTP/1.0; those reach {@link HttpForwarder#refuseUnparsable} instead.
 */
final class RequestChecks {
    private RequestChecks() {}

    /** The answer to a refused request; the connection is closed after it. */
    record Refusal(int status, String reason) {}

    /** @return null when the request may be forwarded */
    static Refusal refusal(HttpVersion version, String target, MultiMap headers) {
        Refusal t = target(target);
        if (t != null) {
            return t;
        }
        List<String> hosts = headers.getAll(HttpHeaders.HOST);
        if (hosts.size() > 1) {
            return new Refusal(400, "more than one Host header");
        }
        if (hosts.isEmpty() && version == HttpVersion.HTTP_1_1) {
            return new Refusal(400, "an HTTP/1.1 request needs a Host header");
        }
        if (!hosts.isEmpty() && !printable(hosts.get(0))) {
            return new Refusal(400, "control character in the Host header");
        }
        return transferEncoding(version, headers);
    }

    /** No control byte (NUL, CR, LF, ESC, DEL...) in the request target: a backend could split or cut it there. */
    private static Refusal target(String target) {
        if (target == null || target.isEmpty()) {
            return new Refusal(400, "empty request target");
        }
        return printable(target) ? null : new Refusal(400, "control character in the request target");
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * Transfer-Encoding: only {@code chunked}, alone and once, on HTTP/1.1, and never together with Content-Length
     * (RFC 9112 6.1 and 6.3: a request with both "ought to be handled as an error"; an unknown coding is a 501).
     */
    private static Refusal transferEncoding(HttpVersion version, MultiMap headers) {
        List<String> values = headers.getAll(HttpHeaders.TRANSFER_ENCODING);
        if (values.isEmpty()) {
            return null;
        }
        if (headers.contains(HttpHeaders.CONTENT_LENGTH)) {
            return new Refusal(400, "Transfer-Encoding together with Content-Length");
        }
        if (version != HttpVersion.HTTP_1_1) {
            return new Refusal(400, "Transfer-Encoding in an HTTP/1.0 request");
        }
        List<String> codings = new ArrayList<>();
        for (String value : values) {
            for (String coding : value.split(",", -1)) {
                codings.add(coding.strip().toLowerCase(Locale.ROOT));
            }
        }
        for (String coding : codings) {
            if (!coding.equals("chunked")) {
                return coding.isEmpty() || !printable(coding)
                        ? new Refusal(400, "malformed Transfer-Encoding")
                        : new Refusal(501, "transfer coding not implemented (only chunked is)");
            }
        }
        return codings.size() == 1 ? null : new Refusal(400, "chunked applied more than once");
    }
}
