//! Response bodies: what the API shows of domain values. Kept apart from the
//! storage entities so a schema change never leaks into the public contract.

use crate::domain::question::{Answers, Given};
use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::answer::{Answer, Channel, Reply};
use crate::domain::event::{Event, EventStatus, Language, PlanFields, Schedule};
use crate::domain::guest::Guest;
use crate::domain::plan::ReminderPlan;
use crate::storage::answers::AnswerChange;
use crate::storage::events::Counts;

/// An instant in UTC and the same instant on the event's wall clock.
#[derive(Debug, Serialize, ToSchema)]
pub struct When {
    #[schema(example = "2026-12-03T07:30:00Z")]
    pub utc: String,
    /// Local time in the event's zone, with its offset.
    #[schema(example = "2026-12-03T08:30:00+01:00")]
    pub local: String,
}

impl When {
    pub fn new(instant: DateTime<Utc>, zone: Tz) -> Self {
        Self {
            utc: instant.to_rfc3339_opts(SecondsFormat::Secs, true),
            local: instant.with_timezone(&zone).to_rfc3339_opts(SecondsFormat::Secs, false),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VenueView {
    pub name: String,
    pub address: String,
    pub map_url: Option<String>,
}

/// An event as its organiser sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    pub venue: VenueView,
    /// Who at the venue gets its summary; `null` for none.
    #[schema(value_type = Option<String>, format = Email, example = "accueil@cafe-victoires.fr")]
    pub venue_contact: Option<String>,
    pub starts_at: When,
    pub ends_at: When,
    #[schema(example = "Europe/Paris")]
    pub time_zone: String,
    /// As set by the organiser; `null` means answers close when the event starts.
    pub rsvp_deadline: Option<When>,
    pub answers_close_at: When,
    /// Seats including companions; `null` is unlimited.
    pub capacity: Option<u32>,
    pub companions_allowed: u32,
    pub language: Language,
    pub follow_up_url: Option<String>,
    pub status: EventStatus,
    pub plan: PlanView,
    /// Whether anyone may register from the public page `/e/{id}`.
    pub open_registration: bool,
    /// Her own words opening each email.
    pub words: crate::domain::event::Words,
    /// What guests are asked beyond yes or no, in order.
    pub questions: Vec<crate::domain::question::Question>,
    /// iCalendar SEQUENCE, bumped on each change of time, place or status.
    pub sequence: u32,
    /// The series this event is a date of, if any.
    pub series_id: Option<Uuid>,
    /// Counts, in lists; one event's counts are at its `/summary`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<SummaryView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl EventView {
    pub fn new(event: Event, counts: Option<Counts>) -> Self {
        let zone = event.details.schedule.time_zone;
        let summary = counts.map(|counts| SummaryView::new(&event, counts));
        let answers_close_at = When::new(event.details.answers_close_at(), zone);
        let plan = PlanView::new(&event.details.plan, &event.details.schedule);
        let details = event.details;
        Self {
            id: event.id,
            series_id: event.series_id,
            title: details.title,
            description: details.description,
            venue: VenueView {
                name: details.venue.name,
                address: details.venue.address,
                map_url: details.venue.map_url,
            },
            venue_contact: details.venue_contact.map(|c| c.to_string()),
            starts_at: When::new(details.schedule.starts_at, zone),
            ends_at: When::new(details.schedule.ends_at, zone),
            time_zone: zone.name().to_owned(),
            rsvp_deadline: details.schedule.rsvp_deadline.map(|d| When::new(d, zone)),
            answers_close_at,
            capacity: details.capacity,
            companions_allowed: details.companions_allowed,
            language: details.language,
            follow_up_url: details.follow_up_url,
            status: event.status,
            plan,
            open_registration: details.open_registration,
            words: details.words,
            questions: details.questions,
            sequence: event.sequence,
            summary,
            created_at: event.created_at,
            updated_at: event.updated_at,
        }
    }
}

/// The reminder plan, and when each of its emails goes out.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanView {
    #[schema(example = json!(["P7D", "P3D"]))]
    pub nudges: Vec<String>,
    pub nudge_maybes: bool,
    #[schema(example = "P2D")]
    pub answers_close: String,
    pub reminder: Option<String>,
    pub venue_summary: Option<String>,
    pub follow_up: Option<String>,
    /// The plan applied to this event's dates.
    pub schedule: Vec<PlanSlotView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanSlotView {
    /// `nudge`, `reminder`, `venue_summary` or `follow_up`.
    pub kind: String,
    pub due_at: When,
}

impl PlanView {
    pub fn new(plan: &ReminderPlan, schedule: &Schedule) -> Self {
        let fields = PlanFields::from(plan);
        Self {
            nudges: fields.nudges,
            nudge_maybes: fields.nudge_maybes,
            answers_close: fields.answers_close,
            reminder: fields.reminder,
            venue_summary: fields.venue_summary,
            follow_up: fields.follow_up,
            schedule: plan
                .slots(schedule)
                .into_iter()
                .map(|slot| PlanSlotView {
                    kind: slot.kind.as_str().to_owned(),
                    due_at: When::new(slot.due_at, schedule.time_zone),
                })
                .collect(),
        }
    }
}

/// Who is coming, at a glance.
#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryView {
    pub invited: u64,
    pub answered: u64,
    pub not_answered: u64,
    /// All "yes" answers, seated or waiting.
    pub yes: u64,
    pub no: u64,
    pub maybe: u64,
    /// Seats held by seated guests and their companions.
    pub seats_taken: u64,
    /// `null` when capacity is unlimited.
    pub seats_left: Option<u64>,
    pub capacity: Option<u32>,
    /// Guests whose "yes" waits for a seat.
    pub waiting: u64,
    /// Seats the waiting parties need.
    pub waiting_seats: u64,
    /// Checked in at the door, walk-ins included.
    pub came: u64,
    /// The people that makes, with their companions.
    pub came_people: u64,
    /// Added at the door rather than invited (not counted in `invited`).
    pub walk_ins: u64,
    /// Seated "yes" answers not checked in; `null` until anyone is checked in.
    pub no_shows: Option<u64>,
    /// Totals per choice of each choice and yes/no question over the seated
    /// guests, one each ("vegetarian: 4"). Given by `/summary`; empty in an
    /// event's view.
    pub questions: Vec<crate::domain::question::QuestionTotals>,
}

impl SummaryView {
    pub fn new(event: &Event, counts: Counts) -> Self {
        Self {
            invited: counts.invited,
            answered: counts.answered,
            not_answered: counts.invited - counts.answered,
            yes: counts.yes,
            no: counts.no,
            maybe: counts.maybe,
            seats_taken: counts.seats_taken,
            seats_left: event.details.capacity.map(|c| u64::from(c).saturating_sub(counts.seats_taken)),
            capacity: event.details.capacity,
            waiting: counts.waiting,
            waiting_seats: counts.waiting_seats,
            came: counts.came,
            came_people: counts.came_people,
            walk_ins: counts.walk_ins,
            no_shows: (counts.came > 0).then_some(counts.seated_not_came),
            questions: Vec::new(),
        }
    }
}

/// An answer with what comes with it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplyView {
    pub answer: Answer,
    pub companions: u32,
    pub comment: String,
    /// Her answers to the event's questions, by question key: a text or one
    /// option's key as a string, several options' keys as a list, yes/no as
    /// a boolean. Unanswered questions are absent.
    #[schema(value_type = std::collections::BTreeMap<String, Given>)]
    pub questions: Answers,
}

impl From<Reply> for ReplyView {
    fn from(reply: Reply) -> Self {
        Self { answer: reply.answer, companions: reply.companions, comment: reply.comment, questions: reply.questions }
    }
}

/// A guest as her organiser sees her.
#[derive(Debug, Serialize, ToSchema)]
pub struct GuestView {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    /// What her emails greet her by; empty when unknown.
    pub first_name: String,
    /// `null` means the event's language.
    pub language: Option<Language>,
    /// `null` until she answers.
    pub reply: Option<ReplyView>,
    pub answered_at: Option<DateTime<Utc>>,
    /// 1-based place on the waiting list, if her "yes" waits for a seat.
    pub waitlist_position: Option<u32>,
    pub invited_at: DateTime<Utc>,
    /// When she was checked in at the door, if she was.
    pub checked_in_at: Option<DateTime<Utc>>,
    /// Companions who came in with her.
    pub checked_in_companions: u32,
    /// Added at the door rather than invited.
    pub walk_in: bool,
    /// She asked for no more mail from this organiser.
    pub unsubscribed: bool,
    /// The emails queued for her, oldest first, with how each fared.
    pub emails: Vec<EmailView>,
}

/// One email to a guest, as the organiser sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmailView {
    /// `invitation`, `nudge`, `reminder`, …
    pub kind: String,
    /// `pending`, `sending`, `sent`, `failed` or `skipped`.
    pub status: String,
    pub attempts: i32,
    /// Why it failed or was skipped.
    pub error: Option<String>,
    pub due_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<crate::storage::entities::outbox::Model> for EmailView {
    fn from(row: crate::storage::entities::outbox::Model) -> Self {
        Self {
            kind: row.kind,
            status: row.status.as_str().to_owned(),
            attempts: row.attempts,
            error: row.last_error,
            due_at: row.due_at,
            sent_at: row.sent_at,
        }
    }
}

impl GuestView {
    pub fn new(guest: Guest, waitlist_position: Option<u32>) -> Self {
        Self {
            id: guest.id,
            email: guest.email.to_string(),
            name: guest.name,
            first_name: guest.first_name,
            language: guest.language,
            reply: guest.reply.map(ReplyView::from),
            answered_at: guest.answered_at,
            waitlist_position,
            invited_at: guest.created_at,
            checked_in_at: guest.checked_in_at,
            checked_in_companions: guest.checked_in_companions,
            walk_in: guest.walk_in,
            unsubscribed: false,
            emails: Vec::new(),
        }
    }
}

/// One change of one guest's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerChangeView {
    pub guest_id: Uuid,
    pub reply: ReplyView,
    /// Whether this "yes" went to the waiting list.
    pub waitlisted: bool,
    pub channel: Channel,
    pub changed_at: DateTime<Utc>,
}

impl From<crate::app::guests::GuestRecord> for GuestView {
    fn from(record: crate::app::guests::GuestRecord) -> Self {
        let mut view = Self::new(record.guest, record.waitlist_position);
        view.unsubscribed = record.unsubscribed;
        view.emails = record.emails.into_iter().map(EmailView::from).collect();
        view
    }
}

impl From<AnswerChange> for AnswerChangeView {
    fn from(change: AnswerChange) -> Self {
        Self {
            guest_id: change.guest_id,
            reply: change.reply.into(),
            waitlisted: change.waitlisted,
            channel: change.channel,
            changed_at: change.changed_at,
        }
    }
}
