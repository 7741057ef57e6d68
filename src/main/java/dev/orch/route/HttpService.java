package dev.orch.route;

import io.vertx.core.http.HttpServerRequest;

/** What an HTTP listener hands its requests to: one app's forwarder, or the shared listeners' host dispatch. */
interface HttpService {
    void handle(HttpServerRequest req, HttpConnections connections);

    /** The decoder failed on this request (bad framing, bad header line, head too large). */
    void refuseUnparsable(HttpServerRequest req, HttpConnections connections);
}
