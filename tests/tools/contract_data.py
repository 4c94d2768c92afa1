"""Test data for tests/api_contract.sh: things that exist, for Schemathesis to find.

Creates events, guests and feeds through the API of a running `convive serve`,
waits for the invitations it writes as `.eml` files, and writes what they
name (ids, tokens, feed files) as libFuzzer dictionaries, one value a line,
which tests/schemathesis.toml binds to the path parameters.

Two organisers: Anne, whose key Schemathesis uses (it may change or cancel
her events as it likes), and Bea, whose event only guests reach: the guest
routes then meet an event no other request can close, cancel or change, so
what the document promises a guest holds for the whole run.

Usage: contract_data.py BASE_URL ANNE_KEY BEA_KEY MAIL_DIR OUT_DIR
"""

import email
import email.policy
import json
import pathlib
import re
import sys
import time
import urllib.request


def call(base, key, method, path, body=None):
    request = urllib.request.Request(
        base + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
    return json.loads(text) if text else None


def event(key, base, title, **fields):
    body = {
        "title": title,
        "venue_name": "Café des Victoires",
        "starts_at": "2030-12-03T08:30",
        "ends_at": "2030-12-03T10:00",
        "time_zone": "Europe/Paris",
        **fields,
    }
    return call(base, key, "POST", "/api/v1/events", body)["id"]


def invite(key, base, event_id, count, prefix):
    guests = []
    for i in range(count):
        body = {"email": f"{prefix}{i}@example.org", "name": f"{prefix.title()} {i}"}
        guests.append(call(base, key, "POST", f"/api/v1/events/{event_id}/guests", body))
    return guests


def mail_links(mail_dir, expected, timeout=30.0):
    """The unsubscribe tokens and guest feed files in at least `expected` emails."""
    deadline = time.monotonic() + timeout
    while True:
        files = sorted(pathlib.Path(mail_dir).rglob("*.eml"))
        if len(files) >= expected or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if len(files) < expected:
        sys.exit(f"only {len(files)} of {expected} invitations were written to {mail_dir}")
    unsubscribe, feeds = set(), set()
    for path in files:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        texts = [str(message.get("List-Unsubscribe", ""))]
        texts += [part.get_content() for part in message.walk() if part.get_content_type() == "text/plain"]
        for text in texts:
            unsubscribe.update(re.findall(r"/unsubscribe/([A-Za-z0-9_.-]+)", text))
            feeds.update(re.findall(r"/feeds/guests/([A-Za-z0-9_.-]+\.ics)", text))
    return sorted(unsubscribe), sorted(feeds)


def write(out_dir, name, values):
    if not values:
        sys.exit(f"no values for the {name} dictionary")
    lines = [json.dumps(value) for value in values]
    (pathlib.Path(out_dir) / f"{name}.dict").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main():
    base, anne, bea, mail_dir, out_dir = sys.argv[1:6]

    # Anne's: published with guests, a draft with a guest, a cancelled one.
    published = event(anne, base, "Petit-déjeuner", capacity=4, companions_allowed=2)
    anne_guests = invite(anne, base, published, 3, "guest")
    call(base, anne, "POST", f"/api/v1/events/{published}/publish")
    draft = event(anne, base, "Brouillon")
    anne_guests += invite(anne, base, draft, 1, "draft")
    cancelled = event(anne, base, "Annulé")
    anne_guests += invite(anne, base, cancelled, 1, "cancelled")
    call(base, anne, "POST", f"/api/v1/events/{cancelled}/publish")
    call(base, anne, "POST", f"/api/v1/events/{cancelled}/cancel")
    organiser_feed = call(base, anne, "GET", "/api/v1/me/feed")["https"].rsplit("/", 1)[1]

    # Bea's: the companions any event may allow (20, the document's bound),
    # and room for some of the answers.
    bea_event = event(bea, base, "Chez Bea", capacity=30, companions_allowed=20)
    bea_guests = invite(bea, base, bea_event, 3, "bea")
    call(base, bea, "POST", f"/api/v1/events/{bea_event}/publish")

    # Invitations go out for both published events (the cancelled one may
    # have been cancelled before its own were sent).
    unsubscribe, guest_feeds = mail_links(mail_dir, expected=3 + 3)

    write(out_dir, "events", [published, draft, cancelled])
    write(out_dir, "guests", [guest["id"] for guest in anne_guests])
    write(out_dir, "invitations", [guest["invitation_token"] for guest in bea_guests])
    write(out_dir, "unsubscribe", unsubscribe)
    write(out_dir, "organiser_feeds", [organiser_feed])
    write(out_dir, "guest_feeds", guest_feeds)


if __name__ == "__main__":
    main()
