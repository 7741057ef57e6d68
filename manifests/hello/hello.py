#!/usr/bin/env python3
"""The example app of orch's README: a tiny HTTP server that reports its version and color.

It listens on the port orch gives it ($PORT, or --port), answers /healthz for the readiness probe,
and everything else with one line of JSON, so you can watch a blue/green switch with curl.
Exits 0 on SIGTERM, as a well-behaved service should.
"""
import argparse
import json
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = os.environ.get("HELLO_VERSION", "v1")
COLOR = os.environ.get("ORCH_COLOR", "unknown")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/healthz":
            body = b"ok\n"
        else:
            body = (json.dumps({"app": "hello", "version": VERSION, "color": COLOR}) + "\n").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain" if self.path == "/healthz" else "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):  # one line per request on stdout: the journal keeps it
        sys.stdout.write("%s %s\n" % (self.address_string(), fmt % args))
        sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8080")))
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("hello %s (%s) listening on 127.0.0.1:%d" % (VERSION, COLOR, args.port), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
