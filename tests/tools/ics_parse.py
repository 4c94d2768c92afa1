"""Parses iCalendar text from stdin with independent parsers and prints what
each one read, as JSON, so tests assert on parsed values rather than text.

Parsers: Python `icalendar` and `vobject`.
"""

import json
import sys

import icalendar
import vobject


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
    return {"method": str(calendar.get("METHOD", "")), "events": events}


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


def main():
    text = sys.stdin.read()
    print(json.dumps({"icalendar": with_icalendar(text), "vobject": with_vobject(text)}))


if __name__ == "__main__":
    main()
