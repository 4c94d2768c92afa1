"""Parses iCalendar text from stdin with independent parsers and prints what
each one read, as JSON, so tests assert on parsed values rather than text.

Parsers, each under its own key of the printed object:
- "icalendar": Python `icalendar`;
- "vobject": Python `vobject`;
- "icaljs": ical.js, Thunderbird's parser, run as
  `node icaljs_parse.mjs` (beside this file) on the same text. It needs Node
  and `npm ci --prefix tests/tools`; its output has the shape of "icalendar",
  with every date-time in UTC ("+00:00") where icalendar keeps the TZID's
  offset.

"icalendar" and "icaljs" also give the calendar's X-WR-TIMEZONE and
X-WR-CALNAME (read as TEXT, "" when absent) as "x_wr_timezone" and
"x_wr_calname".

Any parser that refuses the text makes this script fail: a traceback for the
Python ones, exit 1 with ical.js's message on stderr for ical.js.
"""

import json
import os
import subprocess
import sys

import icalendar
import vobject
from icalendar.parser import unescape_backslash


def with_icalendar(text):
    calendar = icalendar.Calendar.from_ical(text)
    events = []
    for component in calendar.walk("VEVENT"):
        attendees = component.get("ATTENDEE")
        if attendees is not None and not isinstance(attendees, list):
            attendees = [attendees]
        events.append({
            "uid": str(component.get("UID")),
            "sequence": int(component.get("SEQUENCE", 0)),
            "summary": str(component.get("SUMMARY")),
            "description": str(component.get("DESCRIPTION", "")),
            "location": str(component.get("LOCATION", "")),
            "status": str(component.get("STATUS", "")),
            "start": component.decoded("DTSTART").isoformat(),
            "end": component.decoded("DTEND").isoformat(),
            "organizer": str(component.get("ORGANIZER")),
            "organizer_cn": str(component.get("ORGANIZER").params.get("CN", "")),
            "attendees": [
                {
                    "address": str(a),
                    "cn": str(a.params.get("CN", "")),
                    "partstat": str(a.params.get("PARTSTAT", "")),
                    "rsvp": str(a.params.get("RSVP", "")),
                    "role": str(a.params.get("ROLE", "")),
                }
                for a in (attendees or [])
            ],
        })
    return {
        "method": str(calendar.get("METHOD", "")),
        "x_wr_timezone": x_text(calendar, "X-WR-TIMEZONE"),
        "x_wr_calname": x_text(calendar, "X-WR-CALNAME"),
        "events": events,
    }


def x_text(calendar, name):
    """An X-WR- property read as TEXT, as its writers (and the Rust crate) mean
    it: icalendar keeps unknown properties escaped (`\\,` stays `\\,`)."""
    return unescape_backslash(str(calendar.get(name, "")))


def with_vobject(text):
    calendar = vobject.readOne(text)
    events = []
    for event in calendar.vevent_list:
        attendees = []
        for attendee in event.contents.get("attendee", []):
            attendees.append({
                "address": attendee.value,
                "cn": attendee.params.get("CN", [""])[0],
                "partstat": attendee.params.get("PARTSTAT", [""])[0],
            })
        events.append({
            "uid": event.uid.value,
            "summary": event.summary.value,
            "description": event.description.value if hasattr(event, "description") else "",
            "location": event.location.value if hasattr(event, "location") else "",
            "start": event.dtstart.value.isoformat(),
            "end": event.dtend.value.isoformat(),
            "attendees": attendees,
        })
    method = calendar.method.value if hasattr(calendar, "method") else ""
    return {"method": method, "events": events}


def with_icaljs(text):
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icaljs_parse.mjs")
    try:
        result = subprocess.run(
            ["node", script],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=60,
        )
    except FileNotFoundError:
        sys.exit("ics_parse: `node` is not installed; ical.js needs Node (see tests/tools/package.json)")
    if result.returncode != 0:
        sys.exit(
            f"ics_parse: ical.js failed (node exit {result.returncode}):\n"
            + result.stderr.decode("utf-8", "replace")
        )
    return json.loads(result.stdout)


def main():
    # Bytes, decoded strictly: the same text for every parser, whatever the
    # locale, and invalid UTF-8 is an error rather than replacement characters.
    text = sys.stdin.buffer.read().decode("utf-8")
    print(json.dumps({
        "icalendar": with_icalendar(text),
        "vobject": with_vobject(text),
        "icaljs": with_icaljs(text),
    }))


if __name__ == "__main__":
    main()
