//! What the templates see: plain data built from domain values, with dates
//! already written out in the event's zone and the reader's language.

use chrono::{DateTime, Datelike, Locale, Utc};
use serde::Serialize;

use crate::domain::answer::Answer;
use crate::domain::event::{Event, Language};
use crate::domain::guest::Guest;
use crate::domain::mail::{LateReply, Previous};
use crate::links::{Links, webcal};

#[derive(Debug, Clone, Serialize)]
pub struct PersonContext {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventContext {
    pub title: String,
    pub description: String,
    pub venue_name: String,
    pub venue_address: String,
    pub map_url: Option<String>,
    pub date_local: String,
    pub start_time_local: String,
    pub end_time_local: String,
    pub time_zone: String,
    pub answers_close_local: String,
    pub follow_up_url: Option<String>,
    pub companions_allowed: u32,
}

fn locale(language: Language) -> Locale {
    match language {
        Language::Fr => Locale::fr_FR,
        Language::En => Locale::en_GB,
    }
}

/// "jeudi 3 décembre 2026" / "Thursday 3 December 2026"; the first of the
/// month is "mardi 1er décembre 2026", as French writes it.
pub fn local_date(instant: DateTime<Utc>, event: &Event, language: Language) -> String {
    local_date_in(instant, event.details.schedule.time_zone, language)
}

/// The same, in `zone`.
pub fn local_date_in(instant: DateTime<Utc>, zone: chrono_tz::Tz, language: Language) -> String {
    let local = instant.with_timezone(&zone);
    let day = if language == Language::Fr && local.day() == 1 { "1er" } else { "%-d" };
    local.format_localized(&format!("%A {day} %B %Y"), locale(language)).to_string()
}

/// "08:30".
pub fn local_time(instant: DateTime<Utc>, event: &Event) -> String {
    local_time_in(instant, event.details.schedule.time_zone)
}

/// The same, in `zone`.
pub fn local_time_in(instant: DateTime<Utc>, zone: chrono_tz::Tz) -> String {
    instant.with_timezone(&zone).format("%H:%M").to_string()
}

impl EventContext {
    pub fn new(event: &Event, language: Language) -> Self {
        let details = &event.details;
        let closes = details.answers_close_at();
        let at = match language {
            Language::Fr => "à",
            Language::En => "at",
        };
        Self {
            title: details.title.clone(),
            description: details.description.clone(),
            venue_name: details.venue.name.clone(),
            venue_address: details.venue.address.clone(),
            map_url: details.venue.map_url.clone(),
            date_local: local_date(details.schedule.starts_at, event, language),
            start_time_local: local_time(details.schedule.starts_at, event),
            end_time_local: local_time(details.schedule.ends_at, event),
            time_zone: details.schedule.time_zone.name().to_owned(),
            answers_close_local: format!("{} {at} {}", local_date(closes, event, language), local_time(closes, event)),
            follow_up_url: details.follow_up_url.clone(),
            companions_allowed: details.companions_allowed,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct GuestLinks {
    pub invitation: String,
    pub yes: String,
    pub no: String,
    pub maybe: String,
    pub calendar: String,
    pub unsubscribe: String,
    /// Her feed of the events she said yes to, as https and as `webcal://`.
    pub feed: String,
    pub webcal: String,
    /// Nothing more from the organiser (a series' own link leaves the series).
    pub unsubscribe_organiser: String,
    /// For a date of a series she belongs to: her feed of its dates to come.
    pub series_feed: Option<String>,
    pub series_webcal: Option<String>,
}

impl GuestLinks {
    /// Her links, from her invitation, feed and unsubscribe tokens.
    pub fn new(links: &Links, invitation: &str, feed: &str, unsubscribe: &str) -> Self {
        let feed = links.guest_feed(feed);
        Self {
            invitation: links.invitation(invitation),
            yes: links.answer(invitation, Answer::Yes),
            no: links.answer(invitation, Answer::No),
            maybe: links.answer(invitation, Answer::Maybe),
            calendar: links.guest_calendar(invitation),
            unsubscribe: links.unsubscribe(unsubscribe),
            unsubscribe_organiser: links.unsubscribe_organiser(unsubscribe),
            webcal: webcal(&feed),
            feed,
            series_feed: None,
            series_webcal: None,
        }
    }

    /// With her feed of a series' dates, from its token.
    #[must_use]
    pub fn with_series_feed(mut self, links: &Links, token: Option<&str>) -> Self {
        if let Some(token) = token {
            let feed = links.series_feed(token);
            self.series_webcal = Some(webcal(&feed));
            self.series_feed = Some(feed);
        }
        self
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ReplyContext {
    pub answer: &'static str,
    pub companions: u32,
    pub comment: String,
}

/// The context of every guest email.
#[derive(Debug, Clone, Serialize)]
pub struct GuestMail {
    pub lang: &'static str,
    pub guest: PersonContext,
    pub organiser: PersonContext,
    pub event: EventContext,
    pub links: GuestLinks,
    pub reply: Option<ReplyContext>,
    pub waitlist_position: Option<u32>,
    /// The organiser's own words opening this email, if she wrote any.
    pub words: Option<String>,
    /// She came without an invitation: the footer says why she hears from
    /// the organiser without claiming she was invited.
    pub walk_in: bool,
    /// When the event starts, seen from the moment the email is written, in
    /// the event's zone: `today`, `tomorrow` or `later` (a reminder says
    /// "aujourd'hui", "demain" or the date, whichever is true).
    pub day: &'static str,
    /// For an update: what changed, old and new.
    pub change: Option<ChangeContext>,
    /// What the greeting calls her: her first name when known, else her
    /// name (empty: a greeting without a name).
    pub greeting_name: String,
    /// The series this event is a date of: the footer offers to leave it.
    pub series_name: Option<String>,
    /// For the answer to a late calendar reply: what it said, and since when
    /// answers are closed.
    pub late: Option<LateContext>,
}

/// A calendar reply that came after the deadline, as her email tells it.
#[derive(Debug, Clone, Serialize)]
pub struct LateContext {
    pub answer: &'static str,
    /// "jeudi 3 décembre 2026" and "18 h 00", in the event's zone.
    pub closed_date: String,
    pub closed_time: String,
}

/// What an update changed, each part only when it did.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeContext {
    pub time: Option<Moved>,
    pub venue: Option<Moved>,
}

/// What it was, and what it is now.
#[derive(Debug, Clone, Serialize)]
pub struct Moved {
    pub before: String,
    pub after: String,
}

impl ChangeContext {
    /// The change from `previous` to the event as it is; `None` when neither
    /// the time nor the place moved (only the title did).
    pub fn new(previous: &Previous, event: &Event, language: Language) -> Option<Self> {
        let schedule = &event.details.schedule;
        let time = (previous.starts_at != schedule.starts_at || previous.ends_at != schedule.ends_at).then(|| {
            // The day only when it moved: "8 h 30 – 10 h 00 → 8 h 45 – 10 h 15".
            let same_day =
                local_date(previous.starts_at, event, language) == local_date(schedule.starts_at, event, language);
            let when = |starts: DateTime<Utc>, ends: DateTime<Utc>| {
                let hours = format!("{} – {}", clock_time(starts, event, language), clock_time(ends, event, language));
                if same_day { hours } else { format!("{} {hours}", local_date(starts, event, language)) }
            };
            Moved {
                before: when(previous.starts_at, previous.ends_at),
                after: when(schedule.starts_at, schedule.ends_at),
            }
        });
        let venue = &event.details.venue;
        let place = |name: &str, address: &str| {
            let address = address.trim().replace(['\r', '\n'], " ");
            if address.is_empty() { name.to_owned() } else { format!("{name}, {address}") }
        };
        let venue = (previous.venue_name != venue.name || previous.venue_address != venue.address).then(|| Moved {
            before: place(&previous.venue_name, &previous.venue_address),
            after: place(&venue.name, &venue.address),
        });
        (time.is_some() || venue.is_some()).then_some(Self { time, venue })
    }
}

/// A time of day as each language writes it: "8 h 30" / "08:30".
fn clock_time(instant: DateTime<Utc>, event: &Event, language: Language) -> String {
    let local = instant.with_timezone(&event.details.schedule.time_zone);
    match language {
        Language::Fr => local.format("%-H\u{a0}h\u{a0}%M").to_string(),
        Language::En => local.format("%H:%M").to_string(),
    }
}

impl GuestMail {
    pub fn new(
        event: &Event,
        guest: &Guest,
        organiser: PersonContext,
        links: GuestLinks,
        waitlist_position: Option<u32>,
    ) -> Self {
        let language = guest.language.unwrap_or(event.details.language);
        Self {
            lang: language.as_str(),
            guest: PersonContext { name: guest.name.clone(), email: guest.email.to_string() },
            organiser,
            event: EventContext::new(event, language),
            links,
            reply: guest.reply.as_ref().map(|r| ReplyContext {
                answer: r.answer.as_str(),
                companions: r.companions,
                comment: r.comment.clone(),
            }),
            waitlist_position,
            words: None,
            walk_in: guest.walk_in,
            day: "later",
            change: None,
            greeting_name: if guest.first_name.is_empty() { guest.name.clone() } else { guest.first_name.clone() },
            series_name: None,
            late: None,
        }
    }

    /// With the late calendar reply this email answers.
    #[must_use]
    pub fn with_late(mut self, late: Option<&LateReply>, event: &Event) -> Self {
        let language = Language::parse(self.lang).unwrap_or(event.details.language);
        self.late = late.map(|late| LateContext {
            answer: late.answer.as_str(),
            closed_date: local_date(late.closed_at, event, language),
            closed_time: clock_time(late.closed_at, event, language),
        });
        self
    }

    /// With the series this event is a date of.
    #[must_use]
    pub fn in_series(mut self, series_name: Option<&str>) -> Self {
        self.series_name = series_name.map(str::to_owned);
        self
    }

    /// With what an update changed, from what the event was.
    #[must_use]
    pub fn with_change(mut self, previous: Option<&Previous>, event: &Event) -> Self {
        let language = Language::parse(self.lang).unwrap_or(event.details.language);
        self.change = previous.and_then(|previous| ChangeContext::new(previous, event, language));
        self
    }

    /// With the event's day as seen at `now`.
    #[must_use]
    pub fn written_at(mut self, now: DateTime<Utc>, event: &Event) -> Self {
        let zone = &event.details.schedule.time_zone;
        let today = now.with_timezone(zone).date_naive();
        let starts = event.details.schedule.starts_at.with_timezone(zone).date_naive();
        self.day = match (starts - today).num_days() {
            0 => "today",
            1 => "tomorrow",
            _ => "later",
        };
        self
    }

    /// With the organiser's words for this kind of email.
    #[must_use]
    pub fn with_words_for(mut self, kind: crate::domain::mail::MailKind, event: &Event, reader: Language) -> Self {
        use crate::domain::event::WordsFor;
        use crate::domain::mail::MailKind;
        let part = match kind {
            MailKind::Invitation => WordsFor::Invitation,
            MailKind::Nudge | MailKind::NudgeMaybe => WordsFor::Nudge,
            MailKind::Reminder => WordsFor::Reminder,
            MailKind::ThankYou => WordsFor::ThankYou,
            _ => return self,
        };
        self.words = event.details.words.for_reader(part, event.details.language, reader).map(str::to_owned);
        self
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OrganiserLinks {
    pub event: String,
}

/// One guest's answer, told to the organiser: the outbox row's payload.
pub use crate::domain::mail::AnswerNote as NoteContext;

#[derive(Debug, Clone, Serialize)]
pub struct DigestChange {
    pub guest_name: String,
    pub guest_email: String,
    pub answer: String,
    pub previous_answer: Option<String>,
    pub companions: u32,
    pub comment: String,
    pub changed_at_local: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DigestTotals {
    pub yes: u64,
    pub no: u64,
    pub maybe: u64,
    pub not_answered: u64,
    pub seats_left: Option<u64>,
}

/// The context of the email confirming an open registration.
#[derive(Debug, Clone, Serialize)]
pub struct RegistrationMail {
    pub lang: &'static str,
    pub name: String,
    pub email: String,
    pub organiser: PersonContext,
    pub event: EventContext,
    pub links: RegistrationLinks,
}

#[derive(Debug, Clone, Serialize)]
pub struct RegistrationLinks {
    pub confirm: String,
}

/// The context of the organiser's emails.
#[derive(Debug, Clone, Serialize)]
pub struct OrganiserMail {
    pub lang: &'static str,
    pub organiser: PersonContext,
    pub event: EventContext,
    pub links: OrganiserLinks,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<NoteContext>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<Vec<DigestChange>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub totals: Option<DigestTotals>,
}

#[cfg(test)]
mod tests {
    use super::{GuestLinks, local_date_in};
    use crate::domain::event::Language;
    use crate::links::Links;

    #[test]
    fn the_first_of_the_month_is_written_1er_in_french_only() {
        let first = "2026-12-01T07:30:00Z".parse().unwrap();
        let second = "2026-12-02T07:30:00Z".parse().unwrap();
        let paris = chrono_tz::Europe::Paris;
        assert_eq!(local_date_in(first, paris, Language::Fr), "mardi 1er décembre 2026");
        assert_eq!(local_date_in(second, paris, Language::Fr), "mercredi 2 décembre 2026");
        assert_eq!(local_date_in(first, paris, Language::En), "Tuesday 1 December 2026");
        // The local day, not UTC's: 23:30 UTC on 30 November is 1 December in Paris.
        assert_eq!(
            local_date_in("2026-11-30T23:30:00Z".parse().unwrap(), paris, Language::Fr),
            "mardi 1er décembre 2026"
        );
    }

    #[test]
    fn a_guests_links_come_from_her_three_tokens() {
        let links = GuestLinks::new(&Links::new(&"https://x.example/".parse().unwrap()), "inv", "feed", "unsub");
        assert_eq!(links.invitation, "https://x.example/i/inv");
        assert_eq!(
            [links.yes, links.no, links.maybe],
            [
                "https://x.example/i/inv?answer=yes",
                "https://x.example/i/inv?answer=no",
                "https://x.example/i/inv?answer=maybe"
            ]
        );
        assert_eq!(links.calendar, "https://x.example/i/inv/calendar.ics");
        assert_eq!(links.unsubscribe, "https://x.example/unsubscribe/unsub");
        assert_eq!(links.feed, "https://x.example/feeds/guests/feed.ics");
        assert_eq!(links.webcal, "webcal://x.example/feeds/guests/feed.ics");
    }
}
