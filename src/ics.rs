//! Domain event -> VCALENDAR text. All calendar output goes through here, so
//! files, feeds and mail parts cannot disagree.
//!
//! Generated with the maintained `icalendar` crate rather than the `ics` one
//! named in the first design: `icalendar` escapes TEXT values, quotes
//! parameter values and folds lines at 75 octets with CRLF, which `ics` left
//! to a wrapper that would have done more than the crate. What stays here is
//! what no generic writer can know: normalising line breaks and control
//! characters from user input (the crate escapes `\n` but would let a bare
//! `\r` through), keeping `"` out of quoted parameters, and the iMIP rules.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, EventLike, EventStatus as IcalStatus, Property};

use crate::domain::answer::Answer;
use crate::domain::event::{Event, EventStatus};
use crate::domain::guest::Guest;
use crate::domain::mail::CalendarPart;

/// The iTIP method of a calendar object (RFC 5546).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A plain calendar file or feed.
    Publish,
    /// An invitation or its update, in an email.
    Request,
    /// A cancellation, in an email.
    Cancel,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Publish => "PUBLISH",
            Self::Request => "REQUEST",
            Self::Cancel => "CANCEL",
        }
    }
}

impl From<CalendarPart> for Method {
    fn from(part: CalendarPart) -> Self {
        match part {
            CalendarPart::Request => Self::Request,
            CalendarPart::Cancel => Self::Cancel,
        }
    }
}

/// Someone invited, with what she answered so far.
#[derive(Debug, Clone)]
pub struct Attendee<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub partstat: PartStat,
}

impl<'a> Attendee<'a> {
    pub fn of(guest: &'a Guest) -> Self {
        Self { name: &guest.name, email: guest.email.as_str(), partstat: PartStat::of(guest) }
    }
}

/// The iCalendar participation status (RFC 5545 PARTSTAT).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartStat {
    NeedsAction,
    Accepted,
    Declined,
    Tentative,
}

impl PartStat {
    /// Her status as every calendar Convive writes shows it: a "yes" still
    /// waiting for a seat is only tentative, in her feed as in her emails.
    pub fn of(guest: &Guest) -> Self {
        if guest.is_waiting() {
            return Self::Tentative;
        }
        match guest.reply.as_ref().map(|r| r.answer) {
            Some(Answer::Yes) => Self::Accepted,
            Some(Answer::No) => Self::Declined,
            Some(Answer::Maybe) => Self::Tentative,
            None => Self::NeedsAction,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NeedsAction => "NEEDS-ACTION",
            Self::Accepted => "ACCEPTED",
            Self::Declined => "DECLINED",
            Self::Tentative => "TENTATIVE",
        }
    }
}

/// Who organises: her name, and the address calendar replies go to.
#[derive(Debug, Clone)]
pub struct Organizer<'a> {
    pub name: &'a str,
    pub address: &'a str,
}

/// The one UID an event keeps for its whole life.
pub fn uid(event: &Event) -> String {
    format!("{}@convive", event.id)
}

/// One event as a calendar object.
pub fn render(
    event: &Event,
    method: Method,
    organizer: &Organizer<'_>,
    attendee: Option<&Attendee<'_>>,
    dtstamp: DateTime<Utc>,
) -> String {
    GuestCalendars::new(event, method, dtstamp).render(organizer, attendee)
}

/// One event's calendar object for one method and DTSTAMP, written once,
/// and finished for each guest with her ORGANIZER and ATTENDEE lines (the
/// only ones that differ from guest to guest): a batch of invitations to
/// one event writes the event once.
#[derive(Debug, Clone)]
pub struct GuestCalendars {
    method: Method,
    /// The object up to the event's end, where her lines go.
    opening: String,
    /// The event's end and the calendar's.
    closing: String,
}

impl GuestCalendars {
    pub fn new(event: &Event, method: Method, dtstamp: DateTime<Utc>) -> Self {
        let mut calendar = calendar_shell(method);
        calendar.push(event_itself(event, method, dtstamp).done());
        let mut opening = calendar.to_string();
        // The crate writes a component's properties, then its subcomponents
        // (an event has none here), then its end.
        let end = opening.rfind("END:VEVENT\r\n").unwrap_or(opening.len());
        let closing = opening.split_off(end);
        Self { method, opening, closing }
    }

    /// The object for one guest (or none, for a file anyone may download).
    pub fn render(&self, organizer: &Organizer<'_>, attendee: Option<&Attendee<'_>>) -> String {
        // Her lines as the crate writes a calendar's own properties (escaped,
        // folded at 75 octets), taken out of the calendar around them.
        let mut lines = Calendar::empty();
        for property in people(self.method, organizer, attendee) {
            lines.append_property(property);
        }
        let lines = lines.to_string();
        let lines = lines
            .strip_prefix("BEGIN:VCALENDAR\r\n")
            .and_then(|l| l.strip_suffix("END:VCALENDAR\r\n"))
            .unwrap_or_default();
        let mut text = String::with_capacity(self.opening.len() + lines.len() + self.closing.len());
        text.push_str(&self.opening);
        text.push_str(lines);
        text.push_str(&self.closing);
        text
    }
}

/// One event of a feed, with who organises it and, in a guest's own feed,
/// her ATTENDEE line.
pub struct FeedEntry<'a> {
    pub event: &'a Event,
    pub organizer: Organizer<'a>,
    pub attendee: Option<Attendee<'a>>,
}

/// A subscribable feed of events (`METHOD:PUBLISH`). DTSTAMP is each
/// event's last change, so the text, and its `ETag`, only change when an event
/// does; the first event's zone is the feed's `X-WR-TIMEZONE`.
pub fn render_feed(name: &str, entries: &[FeedEntry<'_>]) -> String {
    let mut calendar = calendar_shell(Method::Publish);
    calendar.append_property(Property::new("X-WR-CALNAME", text(name)));
    if let Some(first) = entries.first() {
        calendar.append_property(Property::new("X-WR-TIMEZONE", first.event.details.schedule.time_zone.name()));
    }
    for entry in entries {
        let event = entry.event;
        calendar.push(vevent(event, Method::Publish, &entry.organizer, entry.attendee.as_ref(), event.updated_at));
    }
    calendar.to_string()
}

fn calendar_shell(method: Method) -> Calendar {
    let mut calendar = Calendar::empty();
    calendar.append_property(Property::new("VERSION", "2.0"));
    calendar.append_property(Property::new("PRODID", "-//Convive//Convive events//EN"));
    calendar.append_property(Property::new("CALSCALE", "GREGORIAN"));
    calendar.append_property(Property::new("METHOD", method.as_str()));
    calendar
}

fn vevent(
    event: &Event,
    method: Method,
    organizer: &Organizer<'_>,
    attendee: Option<&Attendee<'_>>,
    dtstamp: DateTime<Utc>,
) -> icalendar::Event {
    let mut vevent = event_itself(event, method, dtstamp);
    for property in people(method, organizer, attendee) {
        vevent.append_property(property);
    }
    vevent.done()
}

/// The event without its people: the same for every guest.
fn event_itself(event: &Event, method: Method, dtstamp: DateTime<Utc>) -> icalendar::Event {
    let details = &event.details;
    let cancelled = method == Method::Cancel || event.status == EventStatus::Cancelled;
    let mut vevent = icalendar::Event::new();
    vevent
        .uid(&uid(event))
        .sequence(event.sequence)
        .timestamp(dtstamp)
        .last_modified(event.updated_at)
        .starts(details.schedule.starts_at)
        .ends(details.schedule.ends_at)
        .summary(&text(&details.title))
        .location(&text(&location(event)))
        .description(&text(&description(event)))
        .status(if cancelled { IcalStatus::Cancelled } else { IcalStatus::Confirmed });
    if let Some(map) = &details.venue.map_url {
        vevent.url(map);
    }
    vevent
}

/// Who organises and, in a guest's own calendar, her ATTENDEE line.
fn people(method: Method, organizer: &Organizer<'_>, attendee: Option<&Attendee<'_>>) -> Vec<Property> {
    let mut people = vec![
        Property::new("ORGANIZER", format!("mailto:{}", organizer.address))
            .add_parameter("CN", &quoted(organizer.name))
            .done(),
    ];
    if let Some(attendee) = attendee {
        let mut property = Property::new("ATTENDEE", format!("mailto:{}", attendee.email));
        if !attendee.name.trim().is_empty() {
            property.add_parameter("CN", &quoted(attendee.name));
        }
        property.add_parameter("ROLE", "REQ-PARTICIPANT").add_parameter("PARTSTAT", attendee.partstat.as_str());
        if method == Method::Request {
            property.add_parameter("RSVP", "TRUE");
        }
        people.push(property.done());
    }
    people
}

fn location(event: &Event) -> String {
    let venue = &event.details.venue;
    let address = venue.address.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(", ");
    if address.is_empty() { venue.name.clone() } else { format!("{}, {address}", venue.name) }
}

fn description(event: &Event) -> String {
    let details = &event.details;
    let local = details.schedule.starts_at.with_timezone(&details.schedule.time_zone);
    let mut text = details.description.clone();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    let _ = write!(text, "{} ({})", local.format("%Y-%m-%d %H:%M"), details.schedule.time_zone);
    if let Some(map) = &details.venue.map_url {
        text.push('\n');
        text.push_str(map);
    }
    text
}

/// TEXT values: one kind of line break (`\n`, which the crate escapes) and no
/// other control characters, whatever was typed or pasted.
fn text(value: &str) -> String {
    value
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// A parameter value, always quoted (`CN="Doe, Jane"`), encoded per RFC 6868:
/// `^` as `^^`, `"` as `^'`, a line break as `^n`. Backslashes are dropped:
/// RFC 5545 gives them no meaning in a parameter, but libical reads one as
/// an escape, and a name ending in `\` would swallow the closing quote.
/// Other control characters are dropped.
fn quoted(value: &str) -> String {
    let text = value.replace("\r\n", "\n").replace('\r', "\n");
    let mut encoded = String::with_capacity(text.len() + 2);
    for c in text.trim().chars() {
        match c {
            '^' => encoded.push_str("^^"),
            '"' => encoded.push_str("^'"),
            '\n' => encoded.push_str("^n"),
            '\\' => {}
            c if c.is_control() => {}
            c => encoded.push(c),
        }
    }
    format!("\"{}\"", encoded.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{EventDetails, Language, Schedule, Venue};
    use crate::domain::plan::ReminderPlan;

    fn event(title: &str) -> Event {
        Event {
            id: uuid::Uuid::nil(),
            organiser_id: uuid::Uuid::nil(),
            details: EventDetails {
                title: title.to_owned(),
                description: "Line one\r\nLine; two, with \\ backslash".to_owned(),
                venue: Venue {
                    name: "Café".to_owned(),
                    address: "6 place des Victoires\n75002 Paris".to_owned(),
                    map_url: None,
                },
                venue_contact: None,
                schedule: Schedule {
                    starts_at: "2030-12-03T07:30:00Z".parse().unwrap(),
                    ends_at: "2030-12-03T09:00:00Z".parse().unwrap(),
                    time_zone: chrono_tz::Europe::Paris,
                    rsvp_deadline: None,
                },
                capacity: None,
                companions_allowed: 0,
                language: Language::Fr,
                follow_up_url: None,
                plan: ReminderPlan::default(),
                open_registration: false,
                words: crate::domain::event::Words::default(),
                questions: Vec::new(),
            },
            status: EventStatus::Published,
            seats_taken: 0,
            sequence: 3,
            created_at: "2030-01-01T00:00:00Z".parse().unwrap(),
            updated_at: "2030-01-02T00:00:00Z".parse().unwrap(),
            series_id: None,
        }
    }

    fn invitation(title: &str, guest_name: &str) -> String {
        render(
            &event(title),
            Method::Request,
            &Organizer { name: "Anne \"the boss\" Martin", address: "anne@example.org" },
            Some(&Attendee { name: guest_name, email: "jane@example.org", partstat: PartStat::NeedsAction }),
            "2030-11-01T10:00:00Z".parse().unwrap(),
        )
    }

    #[test]
    fn an_invitation_carries_the_imip_properties() {
        let ics = invitation("Café des Victoires", "Doe, Jane");
        for expected in [
            "METHOD:REQUEST\r\n",
            "UID:00000000-0000-0000-0000-000000000000@convive\r\n",
            "SEQUENCE:3\r\n",
            "DTSTART:20301203T073000Z\r\n",
            "DTEND:20301203T090000Z\r\n",
            "DTSTAMP:20301101T100000Z\r\n",
            "STATUS:CONFIRMED\r\n",
            "ORGANIZER;CN=\"Anne ^'the boss^' Martin\":mailto:anne@example.org\r\n",
        ] {
            assert!(ics.contains(expected), "missing {expected:?} in\n{ics}");
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains(
                "ATTENDEE;CN=\"Doe, Jane\";PARTSTAT=NEEDS-ACTION;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:jane@example.org"
            ),
            "{unfolded}"
        );
        assert!(unfolded.contains("DESCRIPTION:Line one\\nLine\\; two\\, with \\\\ backslash"), "{unfolded}");
        assert!(unfolded.contains("LOCATION:Café\\, 6 place des Victoires\\, 75002 Paris"), "{unfolded}");
    }

    #[test]
    fn lines_are_folded_at_75_octets_with_crlf() {
        let ics = invitation(&"Très long titre 🎉 ".repeat(20), "Jane");
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "line of {} octets: {line:?}", line.len());
            assert!(!line.contains('\r') && !line.contains('\n'));
        }
    }

    #[test]
    fn a_cancellation_says_so() {
        let ics =
            render(&event("x"), Method::Cancel, &Organizer { name: "A", address: "a@example.org" }, None, Utc::now());
        assert!(ics.contains("METHOD:CANCEL\r\n"));
        assert!(ics.contains("STATUS:CANCELLED\r\n"));
    }

    /// A guest's object, finished from the event's written once, holds the
    /// same lines as the crate writes for the whole event with her in it,
    /// long folded names included; and one guest's lines never reach
    /// another's object.
    #[test]
    fn a_guests_object_finished_from_the_events_is_the_whole_object() {
        let event = event("Café des Victoires");
        let dtstamp: DateTime<Utc> = "2030-11-01T10:00:00Z".parse().unwrap();
        let organizer = Organizer { name: "Anne \"the boss\" Martin", address: "anne@example.org" };
        let calendars = GuestCalendars::new(&event, Method::Request, dtstamp);
        let unfolded_lines = |text: &str| {
            let mut lines: Vec<String> = text.replace("\r\n ", "").split("\r\n").map(str::to_owned).collect();
            lines.sort();
            lines
        };
        for name in ["Jane", &"Marie-Françoise de la Tour d'Auvergne 🎉 ".repeat(4)] {
            let attendee = Attendee { name, email: "jane@example.org", partstat: PartStat::Accepted };
            let mut whole = calendar_shell(Method::Request);
            whole.push(vevent(&event, Method::Request, &organizer, Some(&attendee), dtstamp));
            let finished = calendars.render(&organizer, Some(&attendee));
            assert_eq!(unfolded_lines(&finished), unfolded_lines(&whole.to_string()));
            assert_eq!(finished.matches("ATTENDEE").count(), 1, "{finished}");
            assert!(finished.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        }
    }
}
