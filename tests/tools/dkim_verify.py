"""An independent DKIM verifier for the tests: dkimpy, its DNS lookup
answered with the test key's record instead of the network.

    python3 tests/tools/dkim_verify.py --name s._domainkey.example.org \
        --record "v=DKIM1; k=rsa; p=..." < message.eml

Prints {"verified": bool, "domain": d=, "selector": s=, "headers": [h=...],
"canonicalization": c=} for the first DKIM-Signature, as JSON.
"""

import argparse
import json
import sys

import dkim


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", required=True)
    parser.add_argument("--record", required=True)
    args = parser.parse_args()
    message = sys.stdin.buffer.read()

    def dnsfunc(name, timeout=5):
        wanted = args.name.rstrip(".") + "."
        looked_up = name.decode() if isinstance(name, bytes) else name
        if looked_up.rstrip(".") + "." != wanted:
            return None
        return args.record.encode()

    verifier = dkim.DKIM(message)
    verified = bool(verifier.verify(dnsfunc=dnsfunc))
    fields = {}
    for name, value in verifier.headers:
        if name.lower() == b"dkim-signature":
            fields = dkim.util.parse_tag_value(value)
            break
    strip = lambda v: b"".join(v.split()).decode()
    print(json.dumps({
        "verified": verified,
        "domain": strip(fields.get(b"d", b"")),
        "selector": strip(fields.get(b"s", b"")),
        "headers": [h.lower() for h in strip(fields.get(b"h", b"")).split(":") if h],
        "canonicalization": strip(fields.get(b"c", b"")),
        "algorithm": strip(fields.get(b"a", b"")),
    }))


if __name__ == "__main__":
    main()
