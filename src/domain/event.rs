//! Events: what an organiser creates, and the rules that keep one coherent.

use std::collections::BTreeMap;

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::email_address::EmailAddress;
use super::plan::{PlanChoice, ReminderPlan};
use super::problem::{Problem, code};
use super::question::{Question, QuestionDraft, parse_questions};
use super::text::{Text, WHITESPACE, bounded, web_url};
use super::{FieldErrors, Validator};

/// The languages emails and pages are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Fr,
    En,
}

impl Language {
    pub const ALL: [Self; 2] = [Self::Fr, Self::En];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Fr => "fr",
            Self::En => "en",
        }
    }

    /// Takes either code in any case, with ASCII spaces around it (as a
    /// list pasted from a spreadsheet has them); only ASCII, so that the
    /// API's schema ([`crate::domain::guest::GuestLanguage`]) can say
    /// exactly what is taken.
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        match raw.trim_ascii().to_ascii_lowercase().as_str() {
            "fr" => Ok(Self::Fr),
            "en" => Ok(Self::En),
            _ => Err(Problem::new(
                code::INVALID_LANGUAGE,
                format!("'{raw}' is not a supported language; use 'fr' or 'en'"),
            )
            .with("value", raw)),
        }
    }
}

/// Where an event is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    /// Being prepared; no invitation has gone out.
    Draft,
    /// Invitations are out and guests may answer.
    Published,
    /// Called off; nothing can be answered any more.
    Cancelled,
}

impl EventStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "draft" => Some(Self::Draft),
            "published" => Some(Self::Published),
            "cancelled" => Some(Self::Cancelled),
            _ => None,
        }
    }
}

/// Where the event happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Venue {
    pub name: String,
    pub address: String,
    pub map_url: Option<String>,
}

/// When the event happens: UTC instants plus the zone to show them in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: Tz,
    /// When guests can no longer answer; `None` means the reminder plan's
    /// offset before the start.
    pub rsvp_deadline: Option<DateTime<Utc>>,
}

/// Everything an organiser describes about an event, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventDetails {
    pub title: String,
    pub description: String,
    pub venue: Venue,
    /// Who at the venue gets its summary (in the event's language); not
    /// part of the venue guests see, so changing it moves no calendar.
    pub venue_contact: Option<EmailAddress>,
    pub schedule: Schedule,
    /// Seats, counting guests and their companions; `None` is unlimited.
    pub capacity: Option<u32>,
    pub companions_allowed: u32,
    pub language: Language,
    pub follow_up_url: Option<String>,
    pub plan: ReminderPlan,
    /// Anyone with the public link may register (and confirm by email).
    pub open_registration: bool,
    /// Her own words opening each email.
    pub words: Words,
    /// What guests are asked beyond yes or no.
    pub questions: Vec<Question>,
}

/// The organiser's own words that open an email of the event; the templates
/// stay the frame. Empty means none. They are written in the event's
/// language; `translations` holds them for guests who read another one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Words {
    #[schema(value_type = Text<{ MAX_WORDS_CHARS }>)]
    pub invitation: String,
    #[schema(value_type = Text<{ MAX_WORDS_CHARS }>)]
    pub nudge: String,
    #[schema(value_type = Text<{ MAX_WORDS_CHARS }>)]
    pub reminder: String,
    #[schema(value_type = Text<{ MAX_WORDS_CHARS }>)]
    pub thank_you: String,
    /// The same words in another language than the event's, for the guests
    /// who read that language (`{"en": {"invitation": "…"}}`). A guest
    /// never reads words written for another language: without words in
    /// hers, her emails open with the usual greeting.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    #[schema(value_type = TranslatedWords)]
    pub translations: BTreeMap<Language, Wording>,
}

/// How `Words::translations` reads in the API's document: one optional set
/// of words per language, keyed by its code.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(deny_unknown_fields)]
struct TranslatedWords {
    fr: Option<Wording>,
    en: Option<Wording>,
}

/// Her words for each kind of email, in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Wording {
    #[schema(value_type = Text<{ MAX_WORDS_CHARS }>)]
    pub invitation: String,
    #[schema(value_type = Text<{ MAX_WORDS_CHARS }>)]
    pub nudge: String,
    #[schema(value_type = Text<{ MAX_WORDS_CHARS }>)]
    pub reminder: String,
    #[schema(value_type = Text<{ MAX_WORDS_CHARS }>)]
    pub thank_you: String,
}

/// The emails that can open with her words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordsFor {
    Invitation,
    Nudge,
    Reminder,
    ThankYou,
}

impl WordsFor {
    /// This part's text among a set of words, in their order: invitation,
    /// nudge, reminder, thank-you.
    fn of(self, [invitation, nudge, reminder, thank_you]: [&String; 4]) -> &str {
        match self {
            Self::Invitation => invitation,
            Self::Nudge => nudge,
            Self::Reminder => reminder,
            Self::ThankYou => thank_you,
        }
    }
}

impl Wording {
    fn validate(self, v: &mut Validator, prefix: &str) -> Option<Self> {
        let mut check =
            |field: &str, text: String| v.check(&format!("{prefix}{field}"), bounded(&text, 0, MAX_WORDS_CHARS, true));
        Some(Self {
            invitation: check("invitation", self.invitation)?,
            nudge: check("nudge", self.nudge)?,
            reminder: check("reminder", self.reminder)?,
            thank_you: check("thank_you", self.thank_you)?,
        })
    }

    fn get(&self, part: WordsFor) -> &str {
        part.of([&self.invitation, &self.nudge, &self.reminder, &self.thank_you])
    }

    fn is_empty(&self) -> bool {
        [&self.invitation, &self.nudge, &self.reminder, &self.thank_you].iter().all(|t| t.trim().is_empty())
    }
}

impl Words {
    /// Her words for `part` as a guest reading `reader` sees them, for an
    /// event written in `event_language`; `None` when she wrote none in
    /// that language.
    pub fn for_reader(&self, part: WordsFor, event_language: Language, reader: Language) -> Option<&str> {
        let text = if reader == event_language {
            part.of([&self.invitation, &self.nudge, &self.reminder, &self.thank_you])
        } else {
            self.translations.get(&reader)?.get(part)
        };
        Some(text.trim()).filter(|t| !t.is_empty())
    }

    fn validate(self, v: &mut Validator, event_language: Option<Language>) -> Option<Self> {
        let main = Wording {
            invitation: self.invitation,
            nudge: self.nudge,
            reminder: self.reminder,
            thank_you: self.thank_you,
        }
        .validate(v, "words.")?;
        let mut translations = BTreeMap::new();
        for (language, wording) in self.translations {
            if Some(language) == event_language {
                v.add(
                    &format!("words.translations.{}", language.as_str()),
                    Problem::new(code::INVALID, "is the event's own language: write these words in `words` itself"),
                );
                continue;
            }
            let wording = wording.validate(v, &format!("words.translations.{}.", language.as_str()))?;
            if !wording.is_empty() {
                translations.insert(language, wording);
            }
        }
        Some(Self {
            invitation: main.invitation,
            nudge: main.nudge,
            reminder: main.reminder,
            thank_you: main.thank_you,
            translations,
        })
    }
}

pub const MAX_WORDS_CHARS: usize = 2000;

impl EventDetails {
    /// The instant after which a guest can no longer answer.
    pub fn answers_close_at(&self) -> DateTime<Utc> {
        self.plan.answers_close_at(&self.schedule)
    }

    /// True when moving from `self` to `next` changes what a guest's calendar
    /// shows (time or place), which calls for a higher iCalendar SEQUENCE.
    pub fn calendar_changed(&self, next: &Self) -> bool {
        self.schedule.starts_at != next.schedule.starts_at
            || self.schedule.ends_at != next.schedule.ends_at
            || self.venue != next.venue
            || self.title != next.title
    }
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: uuid::Uuid,
    pub organiser_id: uuid::Uuid,
    pub details: EventDetails,
    pub status: EventStatus,
    /// Seats held by seated "yes" answers and their companions.
    pub seats_taken: u32,
    /// iCalendar SEQUENCE: how many times time, place or status changed.
    pub sequence: u32,
    /// The series this event is a date of, if any.
    pub series_id: Option<uuid::Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Why a guest cannot answer right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswersClosed {
    NotPublished,
    Cancelled,
    DeadlinePassed(DateTime<Utc>),
}

impl Event {
    /// Whether anyone may register from the event's public page at `now`.
    pub fn accepts_registrations(&self, now: DateTime<Utc>) -> bool {
        self.details.open_registration && self.guest_may_answer(now).is_ok()
    }

    /// Whether a guest may answer at `now`. Organisers are not bound by this.
    /// The instants at which what a page or file says of this event may
    /// change with time alone: answers close, it starts, it ends.
    pub fn turning_points(&self) -> [DateTime<Utc>; 3] {
        [self.details.answers_close_at(), self.details.schedule.starts_at, self.details.schedule.ends_at]
    }

    pub fn guest_may_answer(&self, now: DateTime<Utc>) -> Result<(), AnswersClosed> {
        match self.status {
            EventStatus::Draft => Err(AnswersClosed::NotPublished),
            EventStatus::Cancelled => Err(AnswersClosed::Cancelled),
            EventStatus::Published => {
                let closes = self.details.answers_close_at();
                if now >= closes { Err(AnswersClosed::DeadlinePassed(closes)) } else { Ok(()) }
            }
        }
    }
}

/// Raw event fields as received, before validation. Times are either RFC 3339
/// instants (`2026-12-03T07:30:00Z`) or local wall-clock times in the event's
/// zone (`2026-12-03T08:30`), which is how organisers think of them.
#[derive(Debug, Clone, Default)]
pub struct EventFields {
    pub title: String,
    pub description: String,
    pub venue_name: String,
    pub venue_address: String,
    pub venue_map_url: Option<String>,
    pub venue_contact: Option<String>,
    pub starts_at: String,
    pub ends_at: String,
    pub time_zone: String,
    pub rsvp_deadline: Option<String>,
    pub capacity: Option<i64>,
    pub companions_allowed: i64,
    pub language: String,
    pub follow_up_url: Option<String>,
    pub plan: PlanInput,
    pub open_registration: bool,
    pub words: Words,
    /// The questions for guests, as sent; a door that has none to send
    /// passes the current ones, or they are gone.
    pub questions: Vec<QuestionDraft>,
}

/// The reminder plan as a door received it: ISO 8601 offsets from the API,
/// or the dashboard's preset and steps. Both are read by the plan's rules.
#[derive(Debug, Clone)]
pub enum PlanInput {
    Iso(PlanFields),
    Choice(PlanChoice),
}

impl Default for PlanInput {
    fn default() -> Self {
        Self::Iso(PlanFields::default())
    }
}

/// Raw reminder-plan fields: ISO 8601 offsets.
#[derive(Debug, Clone)]
pub struct PlanFields {
    pub nudges: Vec<String>,
    pub nudge_maybes: bool,
    pub answers_close: String,
    pub reminder: Option<String>,
    pub venue_summary: Option<String>,
    pub follow_up: Option<String>,
}

impl Default for PlanFields {
    fn default() -> Self {
        Self::from(&ReminderPlan::default())
    }
}

impl From<&ReminderPlan> for PlanFields {
    fn from(plan: &ReminderPlan) -> Self {
        Self {
            nudges: plan.nudges.iter().map(ToString::to_string).collect(),
            nudge_maybes: plan.nudge_maybes,
            answers_close: plan.answers_close.to_string(),
            reminder: plan.reminder.map(|o| o.to_string()),
            venue_summary: plan.venue_summary.map(|o| o.to_string()),
            follow_up: plan.follow_up.map(|o| o.to_string()),
        }
    }
}

pub const MAX_CAPACITY: i64 = 100_000;
pub const MAX_COMPANIONS_ALLOWED: i64 = 20;

impl TryFrom<EventFields> for EventDetails {
    type Error = FieldErrors;

    fn try_from(fields: EventFields) -> Result<Self, FieldErrors> {
        let mut v = Validator::default();
        let title = v.check("title", bounded(&fields.title, 1, 200, false));
        let description = v.check("description", bounded(&fields.description, 0, 5000, true));
        let venue_name = v.check("venue_name", bounded(&fields.venue_name, 1, 200, false));
        let venue_address = v.check("venue_address", bounded(&fields.venue_address, 0, 500, true));
        let venue_map_url = optional(&mut v, "venue_map_url", fields.venue_map_url.as_deref(), web_url);
        let venue_contact = optional(&mut v, "venue_contact", fields.venue_contact.as_deref(), EmailAddress::parse);
        let follow_up_url = optional(&mut v, "follow_up_url", fields.follow_up_url.as_deref(), web_url);
        let language = v.check("language", Language::parse(&fields.language));
        let capacity = match fields.capacity {
            None => Some(None),
            Some(n) if (1..=MAX_CAPACITY).contains(&n) => Some(Some(n as u32)),
            Some(_) => {
                let message = format!("must be between 1 and {MAX_CAPACITY}, or null for unlimited");
                v.add("capacity", Problem::new(code::CAPACITY_RANGE, message).with("max", MAX_CAPACITY));
                None
            }
        };
        let companions_allowed = if (0..=MAX_COMPANIONS_ALLOWED).contains(&fields.companions_allowed) {
            Some(fields.companions_allowed as u32)
        } else {
            let message = format!("must be between 0 and {MAX_COMPANIONS_ALLOWED}");
            v.add(
                "companions_allowed",
                Problem::new(code::COMPANIONS_RANGE, message).with("max", MAX_COMPANIONS_ALLOWED),
            );
            None
        };

        let plan = match &fields.plan {
            PlanInput::Iso(plan) => ReminderPlan::parse(
                &mut v,
                &plan.nudges,
                plan.nudge_maybes,
                &plan.answers_close,
                plan.reminder.as_deref(),
                plan.venue_summary.as_deref(),
                plan.follow_up.as_deref(),
            ),
            PlanInput::Choice(choice) => ReminderPlan::choose(&mut v, choice),
        };
        let words = fields.words.validate(&mut v, language);
        let questions = match parse_questions(&fields.questions) {
            Ok(questions) => Some(questions),
            Err(errors) => {
                for (field, problem) in errors {
                    v.add(&field, problem);
                }
                None
            }
        };
        let time_zone = v.check("time_zone", parse_time_zone(&fields.time_zone));
        let schedule = time_zone.and_then(|tz| {
            let starts_at = v.check("starts_at", parse_instant(&fields.starts_at, tz));
            let ends_at = v.check("ends_at", parse_instant(&fields.ends_at, tz));
            let deadline =
                optional(&mut v, "rsvp_deadline", fields.rsvp_deadline.as_deref(), |raw| parse_instant(raw, tz));
            let (starts_at, ends_at, rsvp_deadline) = (starts_at?, ends_at?, deadline?);
            if ends_at <= starts_at {
                v.add("ends_at", Problem::new(code::ENDS_BEFORE_START, "must be after starts_at"));
            }
            if rsvp_deadline.is_some_and(|deadline| deadline > starts_at) {
                v.add("rsvp_deadline", Problem::new(code::DEADLINE_AFTER_START, "must not be after starts_at"));
            }
            Some(Schedule { starts_at, ends_at, time_zone: tz, rsvp_deadline })
        });

        if !v.is_empty() {
            return Err(v.finish().unwrap_err());
        }
        // Every `Option` below is `Some` because the validator is empty.
        let missing = || FieldErrors::from([("event".to_owned(), "is incomplete".into())]);
        Ok(Self {
            title: title.ok_or_else(missing)?,
            description: description.ok_or_else(missing)?,
            venue: Venue {
                name: venue_name.ok_or_else(missing)?,
                address: venue_address.ok_or_else(missing)?,
                map_url: venue_map_url.ok_or_else(missing)?,
            },
            venue_contact: venue_contact.ok_or_else(missing)?,
            schedule: schedule.ok_or_else(missing)?,
            capacity: capacity.ok_or_else(missing)?,
            companions_allowed: companions_allowed.ok_or_else(missing)?,
            language: language.ok_or_else(missing)?,
            follow_up_url: follow_up_url.ok_or_else(missing)?,
            plan: plan.ok_or_else(missing)?,
            open_registration: fields.open_registration,
            words: words.ok_or_else(missing)?,
            questions: questions.ok_or_else(missing)?,
        })
    }
}

/// Validates an optional field: `Some(None)` when absent or blank,
/// `Some(Some(value))` when valid, `None` (and an error recorded) otherwise.
#[allow(clippy::option_option)]
fn optional<T>(
    v: &mut Validator,
    field: &str,
    raw: Option<&str>,
    parse: impl FnOnce(&str) -> Result<T, Problem>,
) -> Option<Option<T>> {
    match raw.map(str::trim) {
        None | Some("") => Some(None),
        Some(raw) => v.check(field, parse(raw)).map(Some),
    }
}

/// The schema of what [`parse_time_zone`] accepts: one of the IANA zone
/// names this build knows, for the OpenAPI document.
pub struct TimeZoneName;

impl utoipa::PartialSchema for TimeZoneName {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("An IANA time zone name."))
            .enum_values(Some(chrono_tz::TZ_VARIANTS.iter().map(|zone| zone.name())))
            .examples([serde_json::json!("Europe/Paris")])
            .into()
    }
}

impl utoipa::ToSchema for TimeZoneName {
    fn name() -> std::borrow::Cow<'static, str> {
        "TimeZone".into()
    }
}

/// The pattern of what [`parse_instant`] accepts: every spelling chrono
/// takes (one-digit months, a space for the `T`, any number of year digits,
/// a leap second), and a few it then refuses (the 30th of February, a time
/// the clocks skip).
fn event_time_pattern() -> String {
    format!(
        concat!(
            r"^[{ws}]*[+-]?[0-9]+-(0?[1-9]|1[0-2])-(0?[1-9]|[12][0-9]|3[01])[Tt ]([01]?[0-9]|2[0-3]):[0-5]?[0-9]",
            r"(:([0-5]?[0-9]|60)(\.[0-9]+)?)?([Zz]|[+-][0-9]{{2}}:?[0-9]{{2}})?[{ws}]*$",
        ),
        ws = WHITESPACE
    )
}

/// The schema of what [`parse_instant`] accepts, for the OpenAPI document.
pub struct EventTime;

impl utoipa::PartialSchema for EventTime {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "An RFC 3339 instant (`2026-12-03T07:30:00Z`, `2026-12-03T08:30:00+01:00`) or a wall-clock \
                 time in the event's `time_zone` (`2026-12-03T08:30`, seconds optional).",
            ))
            .pattern(Some(event_time_pattern()))
            .examples([serde_json::json!("2026-12-03T08:30")])
            .into()
    }
}

impl utoipa::ToSchema for EventTime {}

/// The schema of an optional time that a blank value clears (the RSVP
/// deadline: blank means "the plan's"), as the event's rules read it.
pub struct EventTimeOrBlank;

impl utoipa::PartialSchema for EventTimeOrBlank {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("As `EventTime`; blank for none."))
            .pattern(Some(format!("^[{WHITESPACE}]*$|{}", event_time_pattern())))
            .examples([serde_json::json!("2026-12-01T08:30")])
            .into()
    }
}

impl utoipa::ToSchema for EventTimeOrBlank {}

/// An IANA zone name such as `Europe/Paris`.
pub fn parse_time_zone(raw: &str) -> Result<Tz, Problem> {
    raw.trim().parse::<Tz>().map_err(|_| {
        let message = format!("'{raw}' is not an IANA time zone; use a name such as 'Europe/Paris'");
        Problem::new(code::INVALID_TIME_ZONE, message).with("value", raw)
    })
}

/// An RFC 3339 instant, or a local wall-clock time read in `tz`.
pub fn parse_instant(raw: &str, tz: Tz) -> Result<DateTime<Utc>, Problem> {
    let raw = raw.trim();
    if let Ok(instant) = DateTime::parse_from_rfc3339(raw) {
        return Ok(instant.with_timezone(&Utc));
    }
    let local = ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(raw, format).ok())
        .ok_or_else(|| {
            let message =
                format!("'{raw}' is not a date and time; use '2026-12-03T08:30' (local) or '2026-12-03T07:30:00Z'");
            Problem::new(code::INVALID_DATETIME, message).with("value", raw)
        })?;
    match tz.from_local_datetime(&local) {
        LocalResult::Single(instant) => Ok(instant.with_timezone(&Utc)),
        // In the autumn hour that happens twice, take the first, as calendars do.
        LocalResult::Ambiguous(first, _) => Ok(first.with_timezone(&Utc)),
        LocalResult::None => {
            Err(Problem::new(code::SKIPPED_TIME, format!("{local} does not exist in {tz} (the clocks skip it)"))
                .with("value", local.format("%Y-%m-%d %H:%M"))
                .with("zone", tz))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> EventFields {
        EventFields {
            title: "Café des Victoires".into(),
            venue_name: "Café des Victoires".into(),
            starts_at: "2026-12-03T08:30".into(),
            ends_at: "2026-12-03T10:00".into(),
            time_zone: "Europe/Paris".into(),
            language: "fr".into(),
            ..EventFields::default()
        }
    }

    #[test]
    fn local_times_are_read_in_the_event_zone() {
        let event = EventDetails::try_from(fields()).unwrap();
        assert_eq!(event.schedule.starts_at.to_rfc3339(), "2026-12-03T07:30:00+00:00");
        assert_eq!(event.answers_close_at(), event.schedule.starts_at - chrono::Duration::days(2));
    }

    #[test]
    fn a_venue_contact_is_an_address_or_blank_for_none() {
        let with = |raw: &str| EventDetails::try_from(EventFields { venue_contact: Some(raw.into()), ..fields() });
        assert_eq!(
            with(" accueil@cafe-victoires.fr ").unwrap().venue_contact.unwrap().as_str(),
            "accueil@cafe-victoires.fr"
        );
        assert_eq!(with("  ").unwrap().venue_contact, None);
        assert!(with("accueil at café").unwrap_err().contains_key("venue_contact"));
    }

    #[test]
    fn instants_with_an_offset_are_taken_as_given() {
        let tz: Tz = "Europe/Paris".parse().unwrap();
        let instant = parse_instant("2026-07-01T08:30:00+02:00", tz).unwrap();
        assert_eq!(instant.to_rfc3339(), "2026-07-01T06:30:00+00:00");
    }

    #[test]
    fn a_time_skipped_by_daylight_saving_is_refused() {
        let tz: Tz = "Europe/Paris".parse().unwrap();
        assert!(parse_instant("2026-03-29T02:30", tz).is_err());
        // The repeated autumn hour resolves to its first occurrence (+02:00).
        let ambiguous = parse_instant("2026-10-25T02:30", tz).unwrap();
        assert_eq!(ambiguous.to_rfc3339(), "2026-10-25T00:30:00+00:00");
    }

    proptest::proptest! {
        /// Every time the rules take, the document's pattern admits.
        #[test]
        fn the_event_time_pattern_admits_every_time_taken(
            date in (0u32..10_000, 0u32..14, 0u32..34),
            time in (0u32..26, 0u32..62, proptest::option::of(0u32..62)),
            padded in proptest::bool::ANY,
            separator in proptest::sample::select(vec!["T", "t", " "]),
            zone in proptest::sample::select(vec!["", "Z", "z", "+02:00", "-0530", "+24:00"]),
        ) {
            let ((year, month, day), (hour, minute, second)) = (date, time);
            let two = |n: u32| if padded { format!("{n:02}") } else { n.to_string() };
            let second = second.map(|s| format!(":{}", two(s))).unwrap_or_default();
            let raw = format!(
                "{year:04}-{}-{}{separator}{}:{}{second}{zone}", two(month), two(day), two(hour), two(minute)
            );
            let tz: Tz = "Europe/Paris".parse().unwrap();
            if parse_instant(&raw, tz).is_ok() {
                let pattern = regex::Regex::new(&event_time_pattern()).unwrap();
                proptest::prop_assert!(pattern.is_match(&raw), "{raw:?} is taken but not admitted");
            }
        }
    }

    #[test]
    fn the_event_time_pattern_admits_the_documented_forms() {
        let pattern = regex::Regex::new(&event_time_pattern()).unwrap();
        for raw in ["2026-12-03T08:30", "2026-12-03 08:30:15", " 2026-12-03T07:30:00Z ", "2026-12-03T08:30:00.5+01:00"]
        {
            assert!(parse_instant(raw, Tz::UTC).is_ok(), "{raw}");
            assert!(pattern.is_match(raw), "{raw}");
        }
    }

    #[test]
    fn a_deadline_may_be_blank_in_the_document_as_in_the_rules() {
        use utoipa::PartialSchema;
        let utoipa::openapi::RefOr::T(utoipa::openapi::schema::Schema::Object(object)) = EventTimeOrBlank::schema()
        else {
            unreachable!()
        };
        let pattern = regex::Regex::new(&object.pattern.unwrap()).unwrap();
        for raw in ["", "  ", "2026-12-03T08:30"] {
            assert!(pattern.is_match(raw), "{raw:?}");
        }
        assert!(!pattern.is_match("tomorrow"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let errors = EventDetails::try_from(EventFields {
            title: String::new(),
            time_zone: "Mars/Olympus".into(),
            language: "de".into(),
            capacity: Some(0),
            companions_allowed: -1,
            venue_map_url: Some("javascript:alert(1)".into()),
            venue_contact: Some("le café".into()),
            ..fields()
        })
        .unwrap_err();
        for field in
            ["title", "time_zone", "language", "capacity", "companions_allowed", "venue_map_url", "venue_contact"]
        {
            assert!(errors.contains_key(field), "missing error for {field}: {errors:?}");
        }
    }

    #[test]
    fn end_before_start_and_late_deadline_are_refused() {
        let errors = EventDetails::try_from(EventFields {
            ends_at: "2026-12-03T08:00".into(),
            rsvp_deadline: Some("2026-12-04T00:00".into()),
            ..fields()
        })
        .unwrap_err();
        assert!(errors.contains_key("ends_at"));
        assert!(errors.contains_key("rsvp_deadline"));
    }
}
