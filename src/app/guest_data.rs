//! Each guest's data in her hands: what Convive holds about her address at
//! one organiser, as JSON ("my data"), and its erasure ("forget me"), asked
//! by her from her invitation or by her organiser; and the organiser's
//! retention setting, which the scheduler applies to ended events.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{App, AppError, Result};
use crate::domain::role::Action;
use crate::domain::token::InvitationToken;
use crate::storage::guest_data::{self, Cause, Held};
use crate::storage::{self, Db, Missing};

/// Longest retention an organiser may set: ten years.
pub const MAX_RETENTION_DAYS: u32 = 3650;

/// Whose data, at which organiser.
#[derive(Debug, Clone)]
pub struct Subject {
    pub organiser_id: Uuid,
    pub email: String,
}

/// The guest of an invitation token.
pub async fn subject_of_invitation(app: &App, token: &str) -> Result<Subject> {
    let hash = InvitationToken::hash_of_presented(token).ok_or(AppError::NotFound(Missing::Invitation))?;
    let (guest, event) = storage::guests::find_by_token(&*app.db, &hash).await?;
    Ok(Subject { organiser_id: event.organiser_id, email: guest.email.to_string() })
}

/// One of the organiser's guests.
pub async fn subject_of_guest(app: &App, organiser_id: Uuid, event_id: Uuid, guest_id: Uuid) -> Result<Subject> {
    let (guest, _) =
        super::access::guest(&*app.db, app.now(), organiser_id, (event_id, guest_id), Action::Manage).await?;
    Ok(Subject { organiser_id, email: guest.email.to_string() })
}

/// Everything held about her: her invitations with their answers and
/// answer history, check-ins, the emails sent to her (kind and time),
/// her registrations and her unsubscribe. No token, no one else's data.
pub async fn export(app: &App, subject: &Subject) -> Result<Value> {
    let held = guest_data::held(&*app.db, subject.organiser_id, &subject.email).await?;
    let organiser = storage::organisers::find_many(&*app.db, [subject.organiser_id]).await?.pop();
    Ok(render(&held, subject, &organiser.map(|o| o.name).unwrap_or_default(), app.now()))
}

fn render(held: &Held, subject: &Subject, organiser: &str, now: DateTime<Utc>) -> Value {
    let invitations: Vec<Value> = held
        .guests
        .iter()
        .map(|(guest, event)| {
            let history: Vec<Value> = held
                .answers
                .iter()
                .filter(|a| a.guest_id == guest.id)
                .map(|a| {
                    json!({
                        "answer": a.answer,
                        "companions": a.companions,
                        "comment": a.comment,
                        "waitlisted": a.waitlisted,
                        "channel": a.channel,
                        "at": a.changed_at,
                    })
                })
                .collect();
            let emails: Vec<Value> = held
                .emails
                .iter()
                .filter(|m| m.guest_id == Some(guest.id))
                .map(|m| json!({ "kind": m.kind, "status": m.status.as_str(), "due_at": m.due_at, "sent_at": m.sent_at }))
                .collect();
            json!({
                "event": { "id": event.id, "title": event.title, "starts_at": event.starts_at, "ends_at": event.ends_at },
                "guest_id": guest.id,
                "name": guest.name,
                "first_name": guest.first_name,
                "email": guest.email,
                "language": guest.language,
                "invited_at": guest.created_at,
                "walk_in": guest.walk_in,
                "answer": guest.answer,
                "companions": guest.companions,
                "comment": guest.comment,
                "answered_at": guest.answered_at,
                "waitlisted_at": guest.waitlisted_at,
                "checked_in_at": guest.checked_in_at,
                "checked_in_companions": guest.checked_in_companions,
                "answer_history": history,
                "emails": emails,
            })
        })
        .collect();
    let registrations: Vec<Value> = held
        .registrations
        .iter()
        .map(|r| {
            json!({
                "event_id": r.event_id,
                "name": r.name,
                "email": r.email,
                "language": r.language,
                "registered_at": r.created_at,
                "confirmed_at": r.confirmed_at,
            })
        })
        .collect();
    let other_emails: Vec<Value> = held
        .emails
        .iter()
        .filter(|m| m.guest_id.is_none())
        .map(|m| json!({ "kind": m.kind, "status": m.status.as_str(), "due_at": m.due_at, "sent_at": m.sent_at }))
        .collect();
    json!({
        "email": subject.email,
        "organiser": organiser,
        "exported_at": now,
        "invitations": invitations,
        "registrations": registrations,
        "other_emails": other_emails,
        "unsubscribed_at": held.unsubscribed_at,
    })
}

/// Erases her at the organiser, in one transaction: see
/// [`guest_data::erase`]. Returns how many guest rows were anonymised.
pub async fn erase(app: &App, subject: &Subject, cause: Cause) -> Result<u64> {
    let work = app.begin().await?;
    let erased = guest_data::erase(&*work, subject.organiser_id, &subject.email, cause, app.now()).await?;
    work.commit(app).await?;
    Ok(erased)
}

/// The organiser's retention setting, in days (`None`: kept).
pub async fn retention(app: &App, organiser_id: Uuid) -> Result<Option<u32>> {
    Ok(storage::organisers::retention(&*app.db, organiser_id).await?)
}

pub async fn set_retention(app: &App, organiser_id: Uuid, days: Option<i64>) -> Result<Option<u32>> {
    let days = match days {
        None => None,
        Some(d) => Some(u32::try_from(d).ok().filter(|d| (1..=MAX_RETENTION_DAYS).contains(d)).ok_or_else(|| {
            AppError::field(
                "retention_days",
                crate::domain::Problem::new(
                    crate::domain::problem::code::RETENTION_RANGE,
                    format!("must be between 1 and {MAX_RETENTION_DAYS} days"),
                )
                .with("max", MAX_RETENTION_DAYS),
            )
        })?),
    };
    storage::organisers::set_retention(&app.db, organiser_id, days).await?;
    Ok(days)
}

/// The scheduler's part: erases the guests of every event whose
/// organiser's retention has run out since it ended, one transaction per
/// event. Returns how many guest rows.
pub async fn apply_retention(db: &Db, now: DateTime<Utc>) -> anyhow::Result<u64> {
    let mut erased = 0;
    for event_id in guest_data::due_for_retention(&**db, now, 100).await? {
        let tx = storage::begin_write(db).await?;
        let event = storage::events::find_by_id(&*tx, event_id).await?;
        erased += guest_data::erase_event(&*tx, event.organiser_id, event.id, now).await?;
        tx.commit().await?;
    }
    Ok(erased)
}
