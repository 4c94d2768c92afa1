//! The automatic emails, and who should still get one when it is sent.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::answer::Answer;
use super::event::{Event, EventDetails, EventStatus};
use super::guest::Guest;

/// Every kind of automatic email; the name is also its template folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MailKind {
    Invitation,
    Nudge,
    NudgeMaybe,
    Waitlisted,
    Promoted,
    Reminder,
    ThankYou,
    MissedYou,
    Update,
    Cancellation,
    OrganiserNote,
    OrganiserDigest,
    /// To someone who registered for an open event: confirm it was her.
    RegistrationConfirm,
    /// To an organiser: her one-time sign-in link.
    LoginLink,
    /// To an organiser: one of her webhook endpoints was disabled.
    WebhookDisabled,
    /// To someone invited to run an event with its owner: the link to accept.
    TeamInvitation,
    /// To the organisers, the day before (with the reminder): who is
    /// expected, how many with companions, who waits.
    VenueSummary,
    /// To a guest whose calendar answered after the deadline: her answer
    /// was not recorded, and whom to write to instead. It carries no
    /// calendar object: iTIP gives an organiser no way to refuse a REPLY,
    /// and a CANCEL would tell her calendar the event is off.
    LateReply,
    /// To an organiser who asked for it (the mail health check): a signed
    /// message to see that mail arrives and verifies.
    MailTest,
}

/// What tells repeated emails of one kind to one recipient apart: the
/// outbox queues a (recipient, kind, slot) once, however often the rule
/// that queues it runs. Every slot is built here, so two rules can never
/// spell the same moment two ways.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutboxSlot {
    /// An email sent once per guest and kind (an invitation, a cancellation).
    Once,
    /// One per version of the event: an update carries its SEQUENCE.
    Sequence(u32),
    /// One per moment something happened to her (put on the waiting list,
    /// seated from it), so a second time is a second email.
    Moment(DateTime<Utc>),
    /// An invitation sent again by hand: each press is its own email.
    Resend(DateTime<Utc>),
    /// A step of the reminder plan, by its stable key (`nudge:P7D`).
    Plan(String),
    /// A note about one answer change, by the change's id.
    AnswerChange(Uuid),
    /// The daily digest of one event.
    Digest { day: NaiveDate, event: Uuid },
    /// The n-th confirmation email of one registration.
    Request(u32),
    /// An answer to one inbound message (a late calendar reply), by its id.
    Inbound(Uuid),
}

impl OutboxSlot {
    /// The stored form of the slot.
    pub fn key(&self) -> String {
        match self {
            Self::Once => String::new(),
            Self::Sequence(n) | Self::Request(n) => n.to_string(),
            Self::Moment(at) => at.to_rfc3339(),
            Self::Resend(at) => format!("resend:{}", at.timestamp_millis()),
            Self::Plan(key) => key.clone(),
            Self::AnswerChange(id) => id.to_string(),
            Self::Digest { day, event } => format!("{}:{event}", day.format("%Y-%m-%d")),
            Self::Inbound(id) => format!("inbound:{id}"),
        }
    }
}

/// What an email's calendar object asks of the guest's calendar: add or
/// update the event, or remove it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarPart {
    Request,
    Cancel,
}

impl MailKind {
    pub const ALL: [Self; 19] = [
        Self::Invitation,
        Self::Nudge,
        Self::NudgeMaybe,
        Self::Waitlisted,
        Self::Promoted,
        Self::Reminder,
        Self::ThankYou,
        Self::MissedYou,
        Self::Update,
        Self::Cancellation,
        Self::OrganiserNote,
        Self::OrganiserDigest,
        Self::RegistrationConfirm,
        Self::LoginLink,
        Self::WebhookDisabled,
        Self::TeamInvitation,
        Self::VenueSummary,
        Self::LateReply,
        Self::MailTest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::Nudge => "nudge",
            Self::NudgeMaybe => "nudge_maybe",
            Self::Waitlisted => "waitlisted",
            Self::Promoted => "promoted",
            Self::Reminder => "reminder",
            Self::ThankYou => "thank_you",
            Self::MissedYou => "missed_you",
            Self::Update => "update",
            Self::Cancellation => "cancellation",
            Self::OrganiserNote => "organiser_note",
            Self::OrganiserDigest => "organiser_digest",
            Self::RegistrationConfirm => "registration_confirm",
            Self::LoginLink => "login_link",
            Self::WebhookDisabled => "webhook_disabled",
            Self::TeamInvitation => "team_invitation",
            Self::VenueSummary => "venue_summary",
            Self::LateReply => "late_reply",
            Self::MailTest => "mail_test",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }

    /// Emails that carry the event as a calendar object (iMIP), and what
    /// that object asks of her calendar.
    pub fn calendar_part(self) -> Option<CalendarPart> {
        match self {
            Self::Invitation | Self::Update | Self::Reminder | Self::Promoted => Some(CalendarPart::Request),
            Self::Cancellation => Some(CalendarPart::Cancel),
            _ => None,
        }
    }

    /// Whether [`Self::still_relevant`] goes by who came, and so needs to
    /// know whether anyone was checked in at the event: only the
    /// follow-ups. The dispatcher asks the database only for those.
    pub fn goes_by_who_came(self) -> bool {
        matches!(self, Self::ThankYou | Self::MissedYou)
    }

    /// Whether this email, queued earlier, still makes sense for this guest
    /// of this event when its time comes: answers change between the queueing
    /// of a nudge and its sending, and nobody is nudged for an event she
    /// already answered.
    ///
    /// `check_in_used` says whether anyone was checked in at the event, which
    /// decides who came (see [`attended`]); only read for the kinds that
    /// [`Self::goes_by_who_came`].
    pub fn still_relevant(self, event: &Event, guest: &Guest, check_in_used: bool) -> bool {
        let answer = guest.reply.as_ref().map(|r| r.answer);
        if event.status == EventStatus::Cancelled {
            return self == Self::Cancellation;
        }
        match self {
            Self::Invitation | Self::Update => answer != Some(Answer::No) || self == Self::Invitation,
            Self::Nudge => answer.is_none(),
            Self::NudgeMaybe => answer == Some(Answer::Maybe) && event.details.plan.nudge_maybes,
            Self::Waitlisted => guest.is_waiting(),
            Self::Promoted | Self::Reminder => guest.is_seated(),
            Self::ThankYou => attended(guest, check_in_used),
            Self::MissedYou => answer == Some(Answer::Yes) && !attended(guest, check_in_used),
            Self::Cancellation => false,
            Self::OrganiserNote
            | Self::OrganiserDigest
            | Self::RegistrationConfirm
            | Self::LoginLink
            | Self::WebhookDisabled
            | Self::TeamInvitation
            | Self::VenueSummary
            | Self::LateReply
            | Self::MailTest => true,
        }
    }
}

/// Whether the guest came: once anyone was checked in at the event, those
/// checked in (walk-ins included); at an event nobody checked in, a seated
/// "yes" counts as having come. The follow-up emails (thank-you to those who
/// came, "sorry we missed you" to the others who said yes) follow this rule.
pub fn attended(guest: &Guest, check_in_used: bool) -> bool {
    if check_in_used { guest.checked_in_at.is_some() } else { guest.is_seated() }
}

/// What a late calendar reply said: stored as the payload of the email
/// that answers it, which tells her it was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LateReply {
    /// The answer her calendar sent.
    pub answer: Answer,
    /// When answers closed.
    pub closed_at: DateTime<Utc>,
}

/// What an update replaces: stored as the update's payload when it is
/// queued, so the email can say what changed ("8 h 30 → 8 h 45") even if
/// the event changes again before it leaves.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Previous {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub venue_name: String,
    pub venue_address: String,
}

impl Previous {
    pub fn of(details: &EventDetails) -> Self {
        Self {
            starts_at: details.schedule.starts_at,
            ends_at: details.schedule.ends_at,
            venue_name: details.venue.name.clone(),
            venue_address: details.venue.address.clone(),
        }
    }
}

/// An update's payload. Updates queued before it existed hold `{}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UpdatePayload {
    #[serde(default)]
    pub previous: Option<Previous>,
}

/// One guest's answer, told to the organiser; stored as the note's payload
/// when the answer is recorded, so the note says what she said then.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AnswerNote {
    pub guest_name: String,
    pub guest_email: String,
    pub answer: String,
    pub previous_answer: Option<String>,
    pub companions: u32,
    pub comment: String,
    pub waitlisted: bool,
    /// Seated from the waiting list, not a change of her own. Absent from
    /// notes queued before it existed.
    #[serde(default)]
    pub promoted: bool,
    /// Sent by her calendar app (an iMIP reply), not from her page.
    #[serde(default)]
    pub from_calendar: bool,
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    /// Rows already queued hold these keys: a new spelling of the same
    /// moment would queue its email a second time.
    #[test]
    fn slot_keys_keep_their_stored_spelling() {
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 7, 30, 0).unwrap();
        let event = Uuid::nil();
        assert_eq!(OutboxSlot::Once.key(), "");
        assert_eq!(OutboxSlot::Sequence(3).key(), "3");
        assert_eq!(OutboxSlot::Moment(at).key(), "2026-12-03T07:30:00+00:00");
        assert_eq!(OutboxSlot::Resend(at).key(), "resend:1796283000000");
        assert_eq!(OutboxSlot::Plan("nudge:P7D".to_owned()).key(), "nudge:P7D");
        assert_eq!(OutboxSlot::AnswerChange(event).key(), event.to_string());
        assert_eq!(OutboxSlot::Digest { day: at.date_naive(), event }.key(), format!("2026-12-03:{event}"));
        assert_eq!(OutboxSlot::Request(2).key(), "2");
    }
}
