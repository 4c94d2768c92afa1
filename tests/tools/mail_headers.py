"""Reads a raw email from stdin and prints, as JSON, its address and
subject headers as two decoders of Python's standard library read them, so
tests check what a mail client would display rather than the encoded text:

- "email_header": the legacy `email.header.decode_header` and `make_header`
  on each raw header (unfolded), as many scripts and filters use them;
- "policy_default": `email` with `policy.default`, the modern parser, which
  decodes encoded-words leniently (also inside quoted display names).

Each gives "subject", and for "from", "to" and "reply_to" the display name
and the address (the legacy decoder gives the whole decoded header as
"from_text", "to_text" and "reply_to_text" instead).
"""

import email
import email.header
import email.policy
import json
import sys


def legacy(raw_value):
    unfolded = raw_value.replace("\r\n", "").replace("\n", "")
    return str(email.header.make_header(email.header.decode_header(unfolded)))


def main():
    raw = sys.stdin.buffer.read()
    compat = email.message_from_bytes(raw, policy=email.policy.compat32)
    modern = email.message_from_bytes(raw, policy=email.policy.default)

    def address(name):
        header = modern[name]
        if header is None:
            return None
        mailbox = header.addresses[0]
        return {"name": mailbox.display_name, "address": mailbox.addr_spec}

    print(
        json.dumps(
            {
                "email_header": {
                    "subject": legacy(compat["Subject"]),
                    "to_text": legacy(compat["To"]),
                    "from_text": legacy(compat["From"]),
                    "reply_to_text": legacy(compat["Reply-To"]) if compat["Reply-To"] else None,
                },
                "policy_default": {
                    "subject": str(modern["Subject"]),
                    "to": address("To"),
                    "from": address("From"),
                    "reply_to": address("Reply-To"),
                },
            }
        )
    )


main()
