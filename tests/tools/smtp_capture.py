"""A real SMTP server for the tests: aiosmtpd, saving every accepted message.

    python3 tests/tools/smtp_capture.py --port 2525 --dir /tmp/mail [--no-pipelining]

Each message is written atomically as <dir>/<n>.json with the envelope
(mail_from, rcpt_tos), the raw message as received, and whether the client
sent RCPT and DATA along with MAIL, before its answer (RFC 2920
pipelining, offered in the EHLO answer as postfix does unless
--no-pipelining). Tests steer failures with files in <dir>: REJECT makes
every DATA answer 550 (permanent), TEMPFAIL makes it 451 (temporary), and
the addresses in REFUSED (one per line) get a 550 to their RCPT. It prints
"ready" once listening.
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
    def __init__(self, directory, pipelining):
        self.directory = directory
        self.pipelining = pipelining
        self.counter = itertools.count(1)
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if not self.pipelining:
            return responses
        # aiosmtpd reads one command at a time, so it takes pipelined ones.
        return responses[:-1] + ["250-PIPELINING", responses[-1]]

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        # The commands the client wrote after MAIL without waiting for its
        # answer are already read, waiting in the connection's buffer.
        envelope.pipelined = b"DATA\r\n" in bytes(server._reader._buffer).upper()
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refused = os.path.join(self.directory, "REFUSED")
        if os.path.exists(refused):
            with open(refused, encoding="utf-8") as handle:
                if address.lower() in handle.read().lower().split():
                    return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

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
            "pipelined": getattr(envelope, "pipelined", False),
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
    parser.add_argument("--no-pipelining", action="store_true")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(Capture(args.dir, not args.no_pipelining), hostname="127.0.0.1", port=args.port, data_size_limit=50_000_000)
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
