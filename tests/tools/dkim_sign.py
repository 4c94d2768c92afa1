"""DKIM-signs a message for the tests as a guest's mail provider would,
with dkimpy (independent of mail-auth, which verifies it in the app).

    python3 tests/tools/dkim_sign.py keygen
        prints {"private_pem": ..., "record": "v=DKIM1; k=rsa; p=..."} (RSA-2048, by openssl)
    python3 tests/tools/dkim_sign.py sign --domain example.org --selector s1 --key key.pem < in.eml > out.eml
        relaxed/relaxed, From, To, Subject, Date, Message-ID and MIME headers signed
"""

import argparse
import base64
import json
import subprocess
import sys

import dkim


def keygen():
    private_pem = subprocess.run(
        ["openssl", "genrsa", "2048"], check=True, capture_output=True
    ).stdout
    public_der = subprocess.run(
        ["openssl", "rsa", "-pubout", "-outform", "DER"], input=private_pem, check=True, capture_output=True
    ).stdout
    print(json.dumps({
        "private_pem": private_pem.decode(),
        "record": "v=DKIM1; k=rsa; p=" + base64.b64encode(public_der).decode(),
    }))


def sign(args):
    message = sys.stdin.buffer.read()
    with open(args.key, "rb") as handle:
        key = handle.read()
    headers = [b"from", b"to", b"subject", b"date", b"message-id", b"mime-version", b"content-type"]
    signature = dkim.sign(
        message,
        args.selector.encode(),
        args.domain.encode(),
        key,
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=headers,
        linesep=b"\r\n",
    )
    sys.stdout.buffer.write(signature + message)


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("keygen")
    signer = commands.add_parser("sign")
    signer.add_argument("--domain", required=True)
    signer.add_argument("--selector", required=True)
    signer.add_argument("--key", required=True)
    args = parser.parse_args()
    if args.command == "keygen":
        keygen()
    else:
        sign(args)


if __name__ == "__main__":
    main()
