#!/usr/bin/env python3
"""A test app for the pre-switch gates. /healthz answers 200, or with FLAP_SECONDS > 0 alternates: 200 for FLAP_SECONDS,
503 for FLAP_SECONDS, and so on. /smoke answers SMOKE_STATUS (default 200). Every other path answers JSON with the
version, the color and ready_for_ms: the milliseconds since /healthz first answered 200. All state is in memory: the
service runs as a dynamic user that may not write anywhere."""
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = os.environ.get("HELLO_VERSION", "v1")
COLOR = os.environ.get("ORCH_COLOR", "unknown")
FLAP = float(os.environ.get("FLAP_SECONDS", "0"))
SMOKE_STATUS = int(os.environ.get("SMOKE_STATUS", "200"))
STARTED = time.monotonic()
lock = threading.Lock()
first_ready = [None]
smoke_hits = [0]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        now = time.monotonic()
        if self.path == "/healthz":
            up = FLAP <= 0 or int((now - STARTED) / FLAP) % 2 == 0
            if up:
                with lock:
                    if first_ready[0] is None:
                        first_ready[0] = now
            self.answer(200 if up else 503, b"ok\n" if up else b"flapping\n")
        elif self.path == "/smoke":
            with lock:
                smoke_hits[0] += 1
            self.answer(SMOKE_STATUS, b"smoke\n")
        else:
            with lock:
                ready_for = -1 if first_ready[0] is None else int((now - first_ready[0]) * 1000)
                hits = smoke_hits[0]
            body = '{"version": "%s", "color": "%s", "ready_for_ms": %d, "smoke_hits": %d}\n' % (VERSION, COLOR, ready_for, hits)
            self.answer(200, body.encode())

    do_HEAD = do_GET

    def log_message(self, fmt, *args):
        pass


def main():
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("gated %s (%s) listening" % (VERSION, COLOR), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
