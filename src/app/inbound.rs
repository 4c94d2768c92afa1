//! Inbound mail: calendar replies and unsubscribe requests, whatever door
//! they came through (the HTTP endpoint, the IMAP mailbox). A message is
//! stored first, once per Message-ID, then processed; a failure leaves it
//! to be tried again, so a crash loses nothing and a reply delivered twice
//! is applied once.
//!
//! Who answered is read from the address the reply was delivered to
//! (`reply+<token>@…`), never from what the reply says. A reply whose
//! ATTENDEE is someone else, whose From is not the guest's address or
//! proves nothing (no DKIM signature aligned with it: `mail_trust`), that
//! counters or delegates, or that the rules refuse is held for the
//! organiser, who applies or discards it: nothing is applied silently,
//! nothing is dropped. A reply after the deadline is also answered by email
//! (once per message), saying whom to write to; a "yes" on a full event
//! joins the waiting list, as on her page, and she is told so.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::answers::{self, AnswerInput, Answerer, QuestionAnswers};
use super::mail_trust;
use super::unsubscribes::{self, Scope};
use super::{App, AppError, Result};
use crate::config::InboundAuth;
use crate::domain::answer::Answer;
use crate::domain::event::{AnswersClosed, Event};
use crate::domain::guest::Guest;
use crate::domain::inbound::{self, CalendarReply, InboundMail};
use crate::domain::mail::{LateReply, MailKind, OutboxSlot};
use crate::domain::mail_auth::{Outcome, Verdict};
use crate::domain::token::verify_calendar_reply_token;
use crate::storage::entities::inbound_messages::InboundStatus;
use crate::storage::inbound::{Conclusion, InboundRow, NewInbound};
use crate::storage::outbox::Audience;
use crate::storage::{self, Missing};

/// The door a message came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    Http,
    Imap,
}

impl Door {
    fn as_str(self) -> &'static str {
        match self {
            Self::Http => "http",
            Self::Imap => "imap",
        }
    }
}

/// The largest message accepted: a reply is a few kilobytes; this leaves
/// room for a forwarded invitation with its attachments.
pub const MAX_MESSAGE_BYTES: usize = 2 * 1024 * 1024;

/// What receiving a message did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Stored; processed now if it could be, else by the next pass.
    Stored(Uuid),
    /// The same message (same Message-ID) was received before.
    Duplicate,
}

/// Stores a raw message, then processes what is due.
pub async fn receive(app: &App, door: Door, recipient: Option<&str>, raw: &[u8]) -> Result<Received> {
    let mail = inbound::read(raw);
    let key = match mail.as_ref().and_then(|m| m.message_id.as_deref()).filter(|id| !id.is_empty()) {
        Some(id) => format!("mid:{}", id.chars().take(240).collect::<String>()),
        None => format!("sha256:{}", hex::encode(Sha256::digest(raw))),
    };
    let recipient = recipient.map(|r| r.trim().trim_matches(['<', '>']).to_ascii_lowercase());
    let new = NewInbound { key: &key, door: door.as_str(), recipient: recipient.as_deref(), raw };
    let stored = storage::inbound::store(&*app.db, &new, app.now()).await?;
    let Some(id) = stored else {
        return Ok(Received::Duplicate);
    };
    if let Err(err) = process_due(app).await {
        // Stored: the next pass tries again.
        tracing::warn!(error = format!("{err:#}"), "an inbound message could not be processed yet");
    }
    Ok(Received::Stored(id))
}

/// How long a worker holds a message it processes.
const LEASE: Duration = Duration::minutes(5);

/// Processes every message due now; returns how many were concluded.
pub async fn process_due(app: &App) -> Result<usize> {
    let mut concluded = 0;
    loop {
        let now = app.now();
        let claimed = storage::inbound::claim_due(&app.db, now, LEASE, 20).await?;
        if claimed.is_empty() {
            return Ok(concluded);
        }
        for row in &claimed {
            match conclude(app, row).await {
                Ok(conclusion) => {
                    if storage::inbound::conclude(&*app.db, row, &conclusion, app.now()).await? {
                        concluded += 1;
                    }
                    tracing::info!(outcome = %conclusion.outcome, message = %row.id, "inbound message processed");
                }
                Err(err) => {
                    let error = format!("{err:#}");
                    tracing::warn!(error, message = %row.id, "inbound message failed; it will be tried again");
                    let wait = Duration::seconds(30 * 2_i64.pow(row.attempts.clamp(0, 7) as u32));
                    storage::inbound::retry_later(&*app.db, row, &error, app.now() + wait).await?;
                }
            }
        }
    }
}

/// What the organiser is shown of a held reply.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Detail {
    pub from: Option<String>,
    pub attendee: Option<String>,
    pub attendee_name: Option<String>,
    pub answer: Option<Answer>,
    pub comment: Option<String>,
    pub delegated_to: Option<String>,
    pub proposed_start: Option<String>,
    pub subject: String,
    /// What the DKIM and DMARC checks found (unset when `inbound_auth` is off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<Verdict>,
}

fn done(outcome: &str) -> Conclusion {
    Conclusion {
        status: InboundStatus::Done,
        outcome: outcome.to_owned(),
        event_id: None,
        guest_id: None,
        detail: None,
    }
}

/// What one message means, and, if it is a reply to apply, applying it.
/// `Err` only for failures worth retrying (the database).
async fn conclude(app: &App, row: &InboundRow) -> Result<Conclusion> {
    let Some(mail) = inbound::read(&row.raw) else {
        return Ok(done("unreadable"));
    };
    let reply_address = app.settings.reply_address.as_deref();
    if let Some(token) = unsubscribe_request(&mail) {
        return match unsubscribes::unsubscribe(app, token, Scope::Link).await {
            Ok(_) => Ok(done("unsubscribed")),
            Err(AppError::NotFound(_)) => Ok(done("unknown_unsubscribe")),
            Err(err) => Err(err),
        };
    }
    let Some(reply) = mail.calendar.clone() else {
        return Ok(done("no_calendar_reply"));
    };
    // The guest, by the address it was delivered to: the envelope, else the headers.
    let delivered_to = row.recipient.iter().chain(mail.recipients.iter());
    let guest_id = reply_address.and_then(|reply_address| {
        delivered_to
            .filter_map(|address| inbound::reply_token(reply_address, address))
            .find_map(|token| verify_calendar_reply_token(&app.link_key, token))
    });
    // Checked before anything is decided, and kept with the message.
    let verdict = match app.settings.inbound_auth {
        InboundAuth::Off => None,
        InboundAuth::Require => Some(authenticate(app, &row.raw).await),
    };
    let mut detail = detail_of(&mail, &reply);
    detail.auth.clone_from(&verdict);
    let Some((guest, event)) = find_guest(app, guest_id).await? else {
        // No genuine token: shown on the event the reply names, if it is one of ours.
        let event = event_of_uid(app, reply.uid.as_deref()).await?;
        return Ok(held("unknown_guest", event.map(|e| e.id), None, &detail));
    };
    let hold = |reason: &str| held(reason, Some(event.id), Some(guest.id), &detail);
    if reply.uid.as_deref() != Some(crate::ics::uid(&event).as_str()) {
        return Ok(hold("other_event"));
    }
    match reply.method.as_str() {
        "REPLY" => {}
        "COUNTER" => return Ok(hold("counter")),
        _ => return Ok(done("not_a_reply")),
    }
    let guest_email = guest.email.as_str().to_ascii_lowercase();
    let Some(attendee) = reply.attendees.first() else {
        return Ok(hold("no_attendee"));
    };
    if reply.attendees.len() > 1 || attendee.email != guest_email {
        // A forwarded invitation answered by someone else: she wants to come.
        return Ok(hold("someone_else"));
    }
    if attendee.delegated_to.is_some() || attendee.partstat.as_deref() == Some("DELEGATED") {
        return Ok(hold("delegated"));
    }
    let Some(answer) = attendee.answer() else {
        return Ok(done("no_answer"));
    };
    if mail.from.as_deref() != Some(guest_email.as_str()) {
        return Ok(hold("other_sender"));
    }
    if verdict.as_ref().is_some_and(|verdict| !verdict.trusted()) {
        // Her address, but nothing proves she wrote it: a forgery is easy.
        return Ok(hold("auth_failed"));
    }
    match apply(app, &event, &guest, answer, reply.comment.as_deref()).await {
        Ok(()) => Ok(Conclusion {
            status: InboundStatus::Done,
            outcome: "applied".to_owned(),
            event_id: Some(event.id),
            guest_id: Some(guest.id),
            detail: Some(serde_json::to_string(&detail).map_err(anyhow::Error::from)?),
        }),
        Err(AppError::AnswersClosed { closed: AnswersClosed::DeadlinePassed(closed_at), .. }) => {
            if guest.reply.as_ref().is_some_and(|r| r.answer == answer) {
                // Her calendar repeats what she had answered: nothing to tell anyone.
                return Ok(done("unchanged"));
            }
            answer_late(app, row.id, &event, &guest, LateReply { answer, closed_at }).await?;
            Ok(hold("too_late"))
        }
        Err(AppError::AnswersClosed { closed: AnswersClosed::Cancelled, .. } | AppError::EventCancelled) => {
            Ok(done("event_cancelled"))
        }
        Err(AppError::AnswersClosed { closed: AnswersClosed::NotPublished, .. }) => Ok(hold("too_late")),
        // A yes on a full event waits for a seat, as on her page (and she is
        // told so by the waiting-list email). This is left only for a seated
        // guest whose seats the organiser has since cut below her party.
        Err(AppError::NotEnoughSeats { .. }) => Ok(hold("full")),
        Err(AppError::NotFound(_)) => Ok(done("guest_gone")),
        Err(err) => Err(err),
    }
}

fn held(reason: &str, event_id: Option<Uuid>, guest_id: Option<Uuid>, detail: &Detail) -> Conclusion {
    Conclusion {
        // Without an event of ours, there is nobody to show it to.
        status: if event_id.is_some() { InboundStatus::Held } else { InboundStatus::Done },
        outcome: reason.to_owned(),
        event_id,
        guest_id,
        detail: serde_json::to_string(detail).ok(),
    }
}

fn detail_of(mail: &InboundMail, reply: &CalendarReply) -> Detail {
    let attendee = reply.attendees.first();
    Detail {
        from: mail.from.clone(),
        attendee: attendee.map(|a| a.email.clone()),
        attendee_name: attendee.and_then(|a| a.name.clone()),
        answer: attendee.and_then(inbound::ReplyAttendee::answer),
        comment: reply.comment.clone(),
        delegated_to: attendee.and_then(|a| a.delegated_to.clone()),
        proposed_start: (reply.method == "COUNTER").then(|| reply.proposed_start.clone()).flatten(),
        subject: mail.subject.chars().take(200).collect(),
        auth: None,
    }
}

/// DKIM and DMARC for a raw message; a resolver that cannot be set up is
/// a check that could not be made, which proves nothing.
async fn authenticate(app: &App, raw: &[u8]) -> Verdict {
    match app.resolver.get(&app.settings) {
        Ok(authenticator) => mail_trust::verify(authenticator, raw).await,
        Err(err) => {
            tracing::warn!(error = format!("{err:#}"), "cannot check an inbound message's DKIM and DMARC");
            let from_domain = inbound::read(raw)
                .and_then(|mail| mail.from)
                .and_then(|from| from.rsplit_once('@').map(|(_, d)| d.to_owned()));
            Verdict { from_domain, dmarc: Outcome::TempError, ..Verdict::default() }
        }
    }
}

/// The token of an unsubscribe request (`Subject: unsubscribe <token>`,
/// as the `mailto:` of List-Unsubscribe writes it).
fn unsubscribe_request(mail: &InboundMail) -> Option<&str> {
    let subject = mail.subject.trim();
    let head = subject.get(..12)?;
    if !head.eq_ignore_ascii_case("unsubscribe ") {
        return None;
    }
    Some(subject[12..].trim()).filter(|t| !t.is_empty())
}

async fn find_guest(app: &App, guest_id: Option<Uuid>) -> Result<Option<(Guest, Event)>> {
    let Some(guest_id) = guest_id else { return Ok(None) };
    let Some(guest) = storage::guests::find_many(&app.db, &[guest_id]).await?.pop() else { return Ok(None) };
    let event = storage::events::find_by_id(&*app.db, guest.event_id).await?;
    Ok(Some((guest, event)))
}

/// The event a calendar UID (`<event id>@convive`) names, if it exists.
async fn event_of_uid(app: &App, uid: Option<&str>) -> Result<Option<Event>> {
    let Some(id) = uid.and_then(|u| u.strip_suffix("@convive")).and_then(|id| Uuid::parse_str(id).ok()) else {
        return Ok(None);
    };
    match storage::events::find_by_id(&*app.db, id).await {
        Ok(event) => Ok(Some(event)),
        Err(err) if err.is_not_found() => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// Her answer, through the same operation as her page: her companions stay
/// as they were on a "yes", her calendar's comment (if any) is hers.
async fn apply(app: &App, event: &Event, guest: &Guest, answer: Answer, comment: Option<&str>) -> Result<()> {
    let companions = match (&guest.reply, answer) {
        (Some(before), Answer::Yes) => i64::from(before.companions),
        _ => 0,
    };
    let input =
        AnswerInput { answer, companions, comment: comment.map(str::to_owned), questions: QuestionAnswers::NotAsked };
    answers::answer(app, Answerer::Calendar { event_id: event.id, guest_id: guest.id }, &input).await.map(|_| ())
}

/// Tells her, by email, that her calendar's answer came after the deadline
/// and was not recorded: once per inbound message (the outbox slot names
/// it), so a message processed again after a crash is not answered twice.
/// The email carries no calendar object: see `MailKind::LateReply`.
async fn answer_late(app: &App, message: Uuid, event: &Event, guest: &Guest, late: LateReply) -> Result<()> {
    let now = app.now();
    let payload = serde_json::to_value(late).map_err(anyhow::Error::from)?;
    let mut work = app.begin().await?;
    let slot = OutboxSlot::Inbound(message);
    let only = Audience::Only(vec![guest.id]);
    let queued =
        storage::outbox::enqueue_for_guests_with(&*work, event, (MailKind::LateReply, &slot), only, &payload, now, now)
            .await?;
    work.queued(queued);
    work.commit(app).await
}

/// A reply held for the organiser, as her list shows it.
#[derive(Debug, Clone)]
pub struct HeldReply {
    pub id: Uuid,
    pub event_id: Option<Uuid>,
    pub guest_id: Option<Uuid>,
    pub guest_name: Option<String>,
    pub guest_email: Option<String>,
    pub reason: String,
    pub detail: Detail,
    pub received_at: DateTime<Utc>,
}

/// The replies waiting for her review, on her events.
pub async fn held_replies(app: &App, organiser_id: Uuid) -> Result<Vec<HeldReply>> {
    let rows = storage::inbound::held(&*app.db, organiser_id).await?;
    let guest_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.guest_id).collect();
    let guests = storage::guests::find_many(&app.db, &guest_ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let guest = row.guest_id.and_then(|id| guests.iter().find(|g| g.id == id));
            HeldReply {
                id: row.id,
                event_id: row.event_id,
                guest_id: row.guest_id,
                guest_name: guest.map(|g| g.name.clone()),
                guest_email: guest.map(|g| g.email.to_string()),
                reason: row.outcome.unwrap_or_default(),
                detail: row.detail.and_then(|d| serde_json::from_str(&d).ok()).unwrap_or_default(),
                received_at: row.received_at,
            }
        })
        .collect())
}

/// Whether a held reply can be applied as it is: one of her guests'
/// answer, held for its sender (another address, or not authenticated)
/// or for the rules. Someone else's answer to a
/// forwarded invitation, a counter-proposal or a delegation is shown, never
/// applied to the guest.
pub fn can_apply(reply: &HeldReply) -> bool {
    reply.guest_id.is_some()
        && reply.detail.answer.is_some()
        && matches!(reply.reason.as_str(), "other_sender" | "auth_failed" | "too_late" | "full")
}

/// Applies a held reply as the organiser decided: its answer for the guest
/// it was delivered for (as her own change, so no deadline or seat rule
/// stands in the way of her decision).
pub async fn apply_held(app: &App, organiser_id: Uuid, id: Uuid) -> Result<()> {
    let row = storage::inbound::find_held(&*app.db, organiser_id, id).await?;
    let detail: Detail = row.detail.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
    let appliable = matches!(row.outcome.as_deref(), Some("other_sender" | "auth_failed" | "too_late" | "full"));
    let (Some(event_id), Some(guest_id), Some(answer), true) = (row.event_id, row.guest_id, detail.answer, appliable)
    else {
        // Someone who is not a guest, or no answer: nothing to apply; she invites or discards.
        return Err(AppError::NotFound(Missing::InboundMessage));
    };
    let guest = storage::guests::find_in_event(&*app.db, event_id, guest_id).await?;
    let companions = match (&guest.reply, answer) {
        (Some(before), Answer::Yes) => i64::from(before.companions),
        _ => 0,
    };
    let input = AnswerInput { answer, companions, comment: detail.comment, questions: QuestionAnswers::NotAsked };
    answers::answer(app, Answerer::Organiser { organiser_id, event_id, guest_id }, &input).await?;
    storage::inbound::close_held(&*app.db, id, InboundStatus::Applied, app.now()).await?;
    Ok(())
}

/// Discards a held reply: it changes nothing, and leaves her list.
pub async fn discard_held(app: &App, organiser_id: Uuid, id: Uuid) -> Result<()> {
    storage::inbound::find_held(&*app.db, organiser_id, id).await?;
    storage::inbound::close_held(&*app.db, id, InboundStatus::Discarded, app.now()).await?;
    Ok(())
}
