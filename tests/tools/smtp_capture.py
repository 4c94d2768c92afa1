"""A real SMTP server for the tests: aiosmtpd, saving every accepted message.

    python3 tests/tools/smtp_capture.py --port 2525 --dir /tmp/mail

Each message is written atomically as <dir>/<n>.json with the envelope
(mail_from, rcpt_tos) and the raw message as received. Tests steer failures
with files in <dir>: REJECT makes every DATA answer 550 (permanent), TEMPFAIL
makes it 451 (temporary). It prints "ready" once listening.
"""

import argparse
import itertools
import json
import os
import signal
import threading
import time

from aiosmtpd.controller import Controller


class Capture:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(self.directory, "REJECT")):
            return "550 5.7.1 Rejected by test"
        if os.path.exists(os.path.join(self.directory, "TEMPFAIL")):
            return "451 4.3.0 Try again later"
        with self.lock:
            number = next(self.counter)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "data": envelope.original_content.decode("utf-8", errors="replace"),
        }
        # Named in the order received, across restarts of the server too
        # (a new process's pid may sort before the old one's).
        path = os.path.join(self.directory, f"{time.time_ns()}-{os.getpid()}-{number:07d}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as handle:
            json.dump(record, handle)
        os.replace(path + ".tmp", path)
        return "250 2.0.0 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(Capture(args.dir), hostname="127.0.0.1", port=args.port, data_size_limit=50_000_000)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.is_set():
        time.sleep(0.2)
    controller.stop()


if __name__ == "__main__":
    main()
