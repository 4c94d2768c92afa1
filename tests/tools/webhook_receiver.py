"""A real webhook receiver for the tests: verifies every delivery with PyPI's
`standardwebhooks` (the reference implementation of the spec) and records it.

    python3 tests/tools/webhook_receiver.py --port 8099 --dir /tmp/hooks

Tests steer it with files in <dir>:
  SECRET  the endpoint's `whsec_…` secret (required to verify);
  STATUS  the HTTP status to answer (default 200), e.g. 500 or 410;
  NOW     the Unix time the receiver takes as "now" when it checks the
          `webhook-timestamp` (the app under test runs at an injected clock).
Each request is written atomically as <dir>/<n>.json: its headers, body,
whether `standardwebhooks` verified it (and why not), and the status given.
"""

import argparse
import itertools
import json
import os
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import standardwebhooks.webhooks as spec


def read(directory, name, default=None):
    try:
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            return f.read().strip()
    except FileNotFoundError:
        return default


class Clock(datetime):
    """`datetime` whose now() is the test's injected time, when given."""

    directory = None

    @classmethod
    def now(cls, tz=None):
        injected = read(cls.directory, "NOW")
        if injected is None:
            return datetime.now(tz=tz)
        return datetime.fromtimestamp(float(injected), tz=tz or timezone.utc)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    Clock.directory = args.dir
    # The library checks the timestamp against datetime.now(): let it use ours.
    spec.datetime = Clock
    counter = itertools.count(1)
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            verified, error = False, None
            try:
                spec.Webhook(read(args.dir, "SECRET", "")).verify(body, headers)
                verified = True
            except Exception as exc:  # noqa: BLE001 - any failure is recorded
                error = f"{type(exc).__name__}: {exc}"
            status = int(read(args.dir, "STATUS", "200"))
            with lock:
                number = next(counter)
            record = {
                "path": self.path,
                "headers": headers,
                "body": body.decode("utf-8", errors="replace"),
                "verified": verified,
                "error": error,
                "answered": status,
            }
            path = os.path.join(args.dir, f"{number:07d}.json")
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                json.dump(record, f)
            os.replace(path + ".tmp", path)
            # The test that waits for a delivery reads this line: no polling.
            print(f"received {number}", flush=True)
            self.send_response(status)
            self.send_header("content-type", "text/plain")
            reply = f"received {number}".encode()
            self.send_header("content-length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
