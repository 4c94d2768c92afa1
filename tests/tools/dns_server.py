"""A real DNS server for the tests: dnslib's, answering TXT queries from a
JSON file, over UDP and TCP on one port of 127.0.0.1.

    python3 tests/tools/dns_server.py --records records.json

records.json maps names to TXT values: {"s1._domainkey.example.org": ["v=DKIM1; ..."]}.
The file is read at every query and answers carry a TTL of 0, so a test
can change what is published and every resolver sees it at once.
Values longer than 255 bytes are split into strings, as DNS hosts do. A
name not in the file is NXDOMAIN. Prints "ready <port>" once listening.
"""

import argparse
import json
import signal
import socket
import threading

from dnslib import QTYPE, RCODE, RR, TXT
from dnslib.server import BaseResolver, DNSLogger, DNSServer


class Records(BaseResolver):
    def __init__(self, path):
        self.path = path

    def resolve(self, request, handler):
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        with open(self.path, encoding="utf-8") as handle:
            records = {k.rstrip(".").lower(): v for k, v in json.load(handle).items()}
        if name not in records:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        if request.q.qtype in (QTYPE.TXT, QTYPE.ANY):
            for value in records[name]:
                data = value.encode()
                chunks = [data[i:i + 255] for i in range(0, len(data), 255)] or [b""]
                reply.add_answer(RR(request.q.qname, QTYPE.TXT, ttl=0, rdata=TXT(chunks)))
        return reply


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
        udp.bind(("127.0.0.1", 0))
        return udp.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", required=True)
    args = parser.parse_args()
    resolver = Records(args.records)
    logger = DNSLogger(log="-request,-reply,-truncated,-error,-recv,-send,-data", prefix=False)
    # A UDP port free now may be taken for TCP, or by the time it binds,
    # under a busy parallel suite: try another.
    for attempt in range(50):
        port = free_port()
        try:
            udp = DNSServer(resolver, port=port, address="127.0.0.1", logger=logger)
        except OSError:
            continue
        try:
            tcp = DNSServer(resolver, port=port, address="127.0.0.1", logger=logger, tcp=True)
        except OSError:
            udp.server.server_close()
            continue
        servers = [udp, tcp]
        break
    else:
        raise SystemExit("no free port for the DNS server")
    for server in servers:
        server.start_thread()
    print(f"ready {port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    for server in servers:
        server.stop()


if __name__ == "__main__":
    main()
