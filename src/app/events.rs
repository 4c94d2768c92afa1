//! An organiser's events: creating, changing, publishing and cancelling
//! them, with the emails and reminder plan each change brings.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{App, AppError, Happening, Result, Work};
use crate::domain::event::{Event, EventDetails, EventFields, EventStatus};
use crate::domain::mail::{MailKind, OutboxSlot};
use crate::storage::events::Counts;
use crate::storage::outbox::Audience;
use crate::storage::{self};

/// Largest page of events a list returns.
pub const MAX_PAGE: u64 = 200;

/// Creates an event, as a draft.
pub async fn create(app: &App, organiser_id: Uuid, fields: EventFields) -> Result<Event> {
    let details = EventDetails::try_from(fields).map_err(AppError::Invalid)?;
    let mut work = app.begin().await?;
    let event = storage::events::insert(&*work, organiser_id, &details, app.now()).await?;
    work.happened(Happening::EventCreated { event: event.id });
    work.commit(app).await?;
    Ok(event)
}

/// One of the organiser's events.
pub async fn get(app: &App, organiser_id: Uuid, event_id: Uuid) -> Result<Event> {
    Ok(storage::events::find_owned(&*app.db, organiser_id, event_id).await?)
}

/// One of her events with its counts.
pub async fn with_counts(app: &App, organiser_id: Uuid, event_id: Uuid) -> Result<(Event, Counts)> {
    let event = get(app, organiser_id, event_id).await?;
    let counts = storage::events::counts(&*app.db, &[event.id]).await?.remove(&event.id).unwrap_or_default();
    Ok((event, counts))
}

/// The counts of an event already found.
pub async fn counts(app: &App, event: &Event) -> Result<Counts> {
    Ok(storage::events::counts(&*app.db, &[event.id]).await?.remove(&event.id).unwrap_or_default())
}

/// Every event of hers for her overview: those to come first (soonest
/// first), then past ones (latest first), each with its counts.
pub async fn overview(app: &App, organiser_id: Uuid) -> Result<Vec<(Event, Counts)>> {
    // Years of monthly events fit; the page would be unreadable long before.
    const OVERVIEW_MOST: u64 = 1000;
    let events = storage::events::list(&app.db, organiser_id, OVERVIEW_MOST, 0).await?;
    let now = app.now();
    let (mut upcoming, mut past): (Vec<Event>, Vec<Event>) =
        events.into_iter().partition(|e| e.details.schedule.ends_at >= now);
    past.reverse();
    upcoming.extend(past);
    let ids: Vec<Uuid> = upcoming.iter().map(|e| e.id).collect();
    let mut counts = storage::events::counts(&*app.db, &ids).await?;
    Ok(upcoming
        .into_iter()
        .map(|event| {
            let event_counts = counts.remove(&event.id).unwrap_or_default();
            (event, event_counts)
        })
        .collect())
}

/// A page of her events, soonest first, each with its counts. `limit` must
/// be between 1 and [`MAX_PAGE`].
pub async fn list(app: &App, organiser_id: Uuid, limit: u64, offset: u64) -> Result<Vec<(Event, Counts)>> {
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(AppError::field("limit", format!("must be between 1 and {MAX_PAGE}")));
    }
    // The databases count rows in signed 64-bit integers.
    if i64::try_from(offset).is_err() {
        return Err(AppError::field("offset", format!("must be between 0 and {}", i64::MAX)));
    }
    let events = storage::events::list(&app.db, organiser_id, limit, offset).await?;
    let ids: Vec<Uuid> = events.iter().map(|e| e.id).collect();
    let mut counts = storage::events::counts(&*app.db, &ids).await?;
    Ok(events
        .into_iter()
        .map(|event| {
            let event_counts = counts.remove(&event.id).unwrap_or_default();
            (event, event_counts)
        })
        .collect())
}

/// Changes an event's details (`fields` builds the new ones from the
/// current), with what follows: seats recounted for a new capacity, an update
/// to guests when time or place moved, the reminder plan laid out again.
pub async fn change(
    app: &App,
    organiser_id: Uuid,
    event_id: Uuid,
    fields: impl FnOnce(&EventDetails) -> EventFields,
) -> Result<Event> {
    let now = app.now();
    let mut work = app.begin().await?;
    let current = storage::events::lock_owned(&*work, organiser_id, event_id).await?;
    if current.status == EventStatus::Cancelled {
        return Err(AppError::EventCancelled);
    }
    let details = EventDetails::try_from(fields(&current.details)).map_err(AppError::Invalid)?;
    let event = storage::events::update_details(&*work, &current, &details, now).await?;
    if event.details.capacity != current.details.capacity {
        let seats_taken = storage::guests::recount_seats(&*work, event.id).await?;
        super::answers::settle_seats(&mut work, &event, seats_taken, now).await?;
    }
    let calendar_changed = current.details.calendar_changed(&event.details);
    if event.status == EventStatus::Published {
        if calendar_changed {
            // Everyone still concerned learns of it, and her calendar entry
            // moves: same UID, the higher SEQUENCE is the slot.
            let slot = OutboxSlot::Sequence(event.sequence);
            let queued = storage::outbox::enqueue_for_guests(
                &*work,
                &event,
                MailKind::Update,
                &slot,
                Audience::NotDeclined,
                now,
                now,
            )
            .await?;
            work.queued(queued);
        }
        if current.details.schedule != event.details.schedule || current.details.plan != event.details.plan {
            storage::plan_slots::replan(&*work, &event, now).await?;
        }
    }
    work.happened(Happening::EventChanged { event: event.id, calendar_changed });
    work.commit(app).await?;
    Ok(event)
}

/// Publishes a draft (sending its invitations and laying out its plan), or
/// cancels an event (telling everyone still concerned). Doing either twice
/// is harmless; a cancelled event stays cancelled.
pub async fn change_status(app: &App, organiser_id: Uuid, event_id: Uuid, target: EventStatus) -> Result<Event> {
    let mut work = app.begin().await?;
    let current = storage::events::lock_owned(&*work, organiser_id, event_id).await?;
    let event = match (current.status, target) {
        (from, to) if from == to => current,
        (EventStatus::Cancelled, _) => return Err(AppError::EventCancelled),
        (from, to) => {
            let now = app.now();
            let event = storage::events::set_status(&*work, &current, to, now).await?;
            queue_status_mail(&mut work, &event, from, now).await?;
            event
        }
    };
    work.commit(app).await?;
    Ok(event)
}

/// Publishing sends the invitations and lays out the reminder plan;
/// cancelling a published event drops what is queued and tells everyone
/// still concerned, with a calendar cancellation.
async fn queue_status_mail(work: &mut Work, event: &Event, from: EventStatus, now: DateTime<Utc>) -> Result<()> {
    match (from, event.status) {
        (EventStatus::Draft, EventStatus::Published) => {
            let queued = storage::outbox::enqueue_for_guests(
                &**work,
                event,
                MailKind::Invitation,
                &OutboxSlot::Once,
                Audience::Everyone,
                now,
                now,
            )
            .await?;
            work.queued(queued);
            storage::plan_slots::replan(&**work, event, now).await?;
            work.happened(Happening::EventPublished { event: event.id });
        }
        (EventStatus::Published, EventStatus::Cancelled) => {
            storage::plan_slots::clear(&**work, event.id).await?;
            storage::outbox::skip_pending_for_event(&**work, event.id, MailKind::Cancellation).await?;
            let queued = storage::outbox::enqueue_for_guests(
                &**work,
                event,
                MailKind::Cancellation,
                &OutboxSlot::Once,
                Audience::NotDeclined,
                now,
                now,
            )
            .await?;
            work.queued(queued);
            work.happened(Happening::EventCancelled { event: event.id });
        }
        (_, EventStatus::Cancelled) => work.happened(Happening::EventCancelled { event: event.id }),
        _ => {}
    }
    Ok(())
}

/// How answers came in for one of her events: the counts, every change of
/// answer oldest first, and when nudges went out.
pub struct Results {
    pub event: Event,
    pub counts: Counts,
    pub history: Vec<storage::answers::AnswerChange>,
    pub nudges_sent: Vec<DateTime<Utc>>,
}

pub async fn results(app: &App, organiser_id: Uuid, event_id: Uuid) -> Result<Results> {
    let (event, counts) = with_counts(app, organiser_id, event_id).await?;
    let history = storage::answers::history(&app.db, event.id).await?;
    let nudges_sent = storage::outbox::sent_times(&app.db, event.id, &[MailKind::Nudge, MailKind::NudgeMaybe]).await?;
    Ok(Results { event, counts, history, nudges_sent })
}
