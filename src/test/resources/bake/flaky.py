#!/usr/bin/env python3
"""A test app for the bake window: answers /healthz always, and on other paths fails every FAIL_EVERY-th request
with 500 (body "app failure") and sleeps DELAY_MS before each answer. EXIT_AT_ONCE=1 exits 3 before listening."""
import os
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = os.environ.get("HELLO_VERSION", "v1")
COLOR = os.environ.get("ORCH_COLOR", "unknown")
FAIL_EVERY = int(os.environ.get("FAIL_EVERY", "0"))
DELAY = int(os.environ.get("DELAY_MS", "0")) / 1000.0
lock = threading.Lock()
count = [0]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        status, body = 200, ('{"version": "%s", "color": "%s"}\n' % (VERSION, COLOR)).encode()
        if self.path == "/healthz":
            body = b"ok\n"
        else:
            with lock:
                count[0] += 1
                n = count[0]
            if DELAY:
                time.sleep(DELAY)
            if FAIL_EVERY and n % FAIL_EVERY == 0:
                status, body = 500, b"app failure"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


def main():
    if os.environ.get("EXIT_AT_ONCE") == "1":
        print("flaky %s: giving up at once" % VERSION, flush=True)
        sys.exit(3)
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ["PORT"])), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("flaky %s (%s) listening" % (VERSION, COLOR), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
