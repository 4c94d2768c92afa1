// Parses iCalendar text from stdin with ical.js, the parser inside Thunderbird,
// and prints what it read as JSON, in the shape of `with_icalendar` in
// ics_parse.py (which calls this script and reports it under "icaljs"):
//
//   {"method", "x_wr_timezone", "x_wr_calname",
//    "events": [{"uid", "sequence", "summary", "description", "location",
//                "status", "start", "end", "organizer", "organizer_cn",
//                "attendees": [{"address", "cn", "partstat", "rsvp", "role"}]}]}
//
// Absent text values are "" and an absent SEQUENCE is 0. `start` and `end`
// are ISO 8601 in UTC with an explicit offset, as Python's isoformat() writes
// an aware UTC datetime: "2030-12-03T07:30:00+00:00". A DATE stays a date
// ("2030-12-03") and a floating time has no offset, as in Python.
//
// Any failure (bytes that are not UTF-8, a line ical.js refuses, a component
// left open, no VCALENDAR, a TZID with no VTIMEZONE) exits 1 with the reason on
// stderr: nothing is caught and papered over.
//
// Usage: node icaljs_parse.mjs < invite.ics

// Imported here rather than with `import`, to say how to install it if missing.
const ICAL = await import("ical.js").then(
  (module) => module.default,
  (error) => {
    process.stderr.write(`icaljs_parse: cannot load ical.js (run \`npm ci --prefix tests/tools\`): ${error.message}\n`);
    process.exit(1);
  },
);

// X-WR-CALNAME and X-WR-TIMEZONE are TEXT by convention (Apple, Microsoft,
// Google), and the Rust `icalendar` crate escapes every X- property as TEXT.
// ical.js gives properties it does not know the type "unknown" and keeps their
// escapes (`\,` stays `\,`), so tell it they are TEXT, as it is told for the
// properties of RFC 5545.
for (const name of ["x-wr-calname", "x-wr-timezone"]) {
  ICAL.design.icalendar.property[name] = { defaultType: "text" };
}

/** All of stdin, decoded as strict UTF-8 (a bad byte is an error, not U+FFFD). */
async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const bytes = Buffer.concat(chunks);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(
      "stdin is not valid UTF-8 (a line folded inside a multi-byte character?)",
    );
  }
}

/** Two digits. */
const pad = (n) => String(n).padStart(2, "0");

/**
 * An ICAL.Time as Python's isoformat() writes the same value: a DATE as
 * YYYY-MM-DD, a floating date-time without offset, any other date-time
 * converted to UTC with "+00:00".
 */
function isoformat(time, what) {
  if (!time) throw new Error(`event has no ${what}`);
  const date = `${String(time.year).padStart(4, "0")}-${pad(time.month)}-${pad(time.day)}`;
  if (time.isDate) return date;
  const clock = (t) => `${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
  const zone = time.zone;
  if (!zone || zone === ICAL.Timezone.localTimezone) {
    // ical.js keeps an unresolved TZID in `time.timezone`: RFC 5545 requires a
    // VTIMEZONE for each TZID, and without it the instant is unknown.
    if (time.timezone) {
      throw new Error(`${what} has TZID=${time.timezone} but the calendar has no such VTIMEZONE`);
    }
    return `${date}T${clock(time)}`; // floating
  }
  const utc = time.convertToZone(ICAL.Timezone.utcTimezone);
  const utcDate = `${String(utc.year).padStart(4, "0")}-${pad(utc.month)}-${pad(utc.day)}`;
  return `${utcDate}T${clock(utc)}+00:00`;
}

/** A property's first value as a string, "" when absent. */
function textOf(component, name) {
  const value = component.getFirstPropertyValue(name);
  return value === null || value === undefined ? "" : String(value);
}

/** A parameter of a property as a string, "" when absent (lists joined by ","). */
function paramOf(property, name) {
  const value = property.getParameter(name);
  if (value === null || value === undefined) return "";
  return Array.isArray(value) ? value.join(",") : String(value);
}

function readEvent(vevent) {
  const event = new ICAL.Event(vevent);
  const organizer = vevent.getFirstProperty("organizer");
  return {
    uid: event.uid ?? "",
    sequence: Number(event.sequence ?? 0),
    summary: event.summary ?? "",
    description: event.description ?? "",
    location: event.location ?? "",
    status: textOf(vevent, "status"),
    start: isoformat(event.startDate, "DTSTART"),
    end: isoformat(event.endDate, "DTEND"),
    organizer: organizer ? String(organizer.getFirstValue()) : "",
    organizer_cn: organizer ? paramOf(organizer, "cn") : "",
    attendees: vevent.getAllProperties("attendee").map((attendee) => ({
      address: String(attendee.getFirstValue()),
      cn: paramOf(attendee, "cn"),
      partstat: paramOf(attendee, "partstat"),
      rsvp: paramOf(attendee, "rsvp"),
      role: paramOf(attendee, "role"),
    })),
  };
}

function parseCalendar(text) {
  // ICAL.parse throws ICAL.parse.ParserError on a line it cannot read (such as
  // a folded line that lost its leading space) and on an unclosed component.
  const jcal = ICAL.parse(text);
  // Several top-level components come back as an array, none as [].
  if (!Array.isArray(jcal) || jcal.length === 0 || typeof jcal[0] !== "string") {
    throw new Error("expected exactly one top-level component");
  }
  const calendar = new ICAL.Component(jcal);
  if (calendar.name !== "vcalendar") {
    throw new Error(`top-level component is ${calendar.name.toUpperCase()}, not VCALENDAR`);
  }
  return {
    method: textOf(calendar, "method"),
    x_wr_timezone: textOf(calendar, "x-wr-timezone"),
    x_wr_calname: textOf(calendar, "x-wr-calname"),
    events: calendar.getAllSubcomponents("vevent").map(readEvent),
  };
}

try {
  const text = await readStdin();
  process.stdout.write(JSON.stringify(parseCalendar(text)) + "\n");
} catch (error) {
  const kind = error instanceof ICAL.parse.ParserError ? "ical.js refused the text" : "error";
  process.stderr.write(`icaljs_parse: ${kind}: ${error.message}\n`);
  process.exit(1);
}
