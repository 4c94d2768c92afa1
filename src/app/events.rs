//! An organiser's events: creating, changing, publishing and cancelling
//! them, with the emails and reminder plan each change brings.

use crate::domain::question::{self, QuestionTotals, WrittenAnswers};
use anyhow::Context as _;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::{self, Action, Role};
use super::{App, AppError, Happening, Result, Work};
use crate::domain::event::{Event, EventDetails, EventFields, EventStatus};
use crate::domain::mail::{MailKind, OutboxSlot, Previous, UpdatePayload};
use crate::storage::activity::Deed;
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
    Ok(access::event(app, organiser_id, event_id, Action::Manage).await?.0)
}

/// One event she runs, with her role on it (what her pages offer depends on it).
pub async fn get_with_role(app: &App, organiser_id: Uuid, event_id: Uuid) -> Result<(Event, Role)> {
    access::event(app, organiser_id, event_id, Action::Manage).await
}

/// One of her events with its counts.
pub async fn with_counts(app: &App, organiser_id: Uuid, event_id: Uuid) -> Result<(Event, Counts)> {
    let event = get(app, organiser_id, event_id).await?;
    let counts = storage::events::counts(&*app.db, &[event.id]).await?.remove(&event.id).unwrap_or_default();
    Ok((event, counts))
}

/// Totals per choice of the event's choice and yes/no questions, over the
/// guests seated ("végétarien : 4"): what catering needs.
pub async fn question_totals(app: &App, event: &Event) -> Result<Vec<QuestionTotals>> {
    if event.details.questions.is_empty() {
        return Ok(Vec::new());
    }
    let answers = storage::guests::seated_answers(&*app.db, event.id).await?;
    Ok(question::totals(&event.details.questions, &answers))
}

/// The seated guests' answers to the event's text questions, with their
/// names: what the totals cannot say (a company, a word for the host).
pub async fn written_answers(app: &App, event: &Event) -> Result<Vec<WrittenAnswers>> {
    if event.details.questions.is_empty() {
        return Ok(Vec::new());
    }
    let rows = storage::guests::seated_answers_by_guest(&*app.db, event.id).await?;
    Ok(question::written(&event.details.questions, &rows))
}

/// How many of the event's guests answered each of its questions, by key:
/// what she is told before she removes one.
pub async fn answered_counts(app: &App, event: &Event) -> Result<std::collections::BTreeMap<String, u64>> {
    if event.details.questions.is_empty() {
        return Ok(std::collections::BTreeMap::new());
    }
    let answers = storage::guests::all_answers(&*app.db, event.id).await?;
    Ok(question::answered_counts(&answers))
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

/// The events others share with her (she co-organises them or keeps their
/// door), soonest first, each with her role and its counts.
pub async fn shared_with_me(app: &App, organiser_id: Uuid) -> Result<Vec<(Event, Role, Counts)>> {
    let shared = storage::team::shared_with(&*app.db, organiser_id).await?;
    let mut events = Vec::with_capacity(shared.len());
    for (event_id, role) in shared {
        events.push((storage::events::find_by_id(&*app.db, event_id).await?, role));
    }
    events.sort_by_key(|(event, _)| event.details.schedule.starts_at);
    let ids: Vec<Uuid> = events.iter().map(|(e, _)| e.id).collect();
    let mut counts = storage::events::counts(&*app.db, &ids).await?;
    Ok(events
        .into_iter()
        .map(|(event, role)| {
            let event_counts = counts.remove(&event.id).unwrap_or_default();
            (event, role, event_counts)
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
    // Those she co-organises too: a door helper's are not hers to list.
    let shared: Vec<Uuid> = storage::team::shared_with(&*app.db, organiser_id)
        .await?
        .into_iter()
        .filter(|(_, role)| *role == Role::CoOrganiser)
        .map(|(id, _)| id)
        .collect();
    let events = storage::events::list_with(&app.db, organiser_id, &shared, limit, offset).await?;
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

/// An event after a change, and how many guests the change emails (an
/// update, invitations, a cancellation): what the organiser is told after.
#[derive(Debug)]
pub struct Changed {
    pub event: Event,
    pub told: u64,
}

/// Who an update of time or place goes to: everyone still concerned, that
/// is every guest but those who declined (walk-ins included).
fn update_audience() -> Audience {
    Audience::NotDeclined
}

/// The email a change of status sends, and to whom: publishing a draft
/// invites every guest; cancelling a published event tells everyone still
/// concerned. Cancelling a draft sends nothing.
fn status_mail(from: EventStatus, to: EventStatus) -> Option<(MailKind, Audience)> {
    match (from, to) {
        (EventStatus::Draft, EventStatus::Published) => Some((MailKind::Invitation, Audience::Everyone)),
        (EventStatus::Published, EventStatus::Cancelled) => Some((MailKind::Cancellation, Audience::NotDeclined)),
        _ => None,
    }
}

/// How many guests changing `event` to `target` would email, counted as
/// [`change_status`] will send, so the organiser can be asked first. A
/// cancelled event changes no more.
pub async fn status_change_reach(app: &App, event: &Event, target: EventStatus) -> Result<u64> {
    if event.status == EventStatus::Cancelled {
        return Err(AppError::EventCancelled);
    }
    if event.status == target {
        return Ok(0);
    }
    match status_mail(event.status, target) {
        Some((_, audience)) => Ok(storage::outbox::count_recipients(&*app.db, event, &audience).await?),
        None => Ok(0),
    }
}

/// What saving new details would send: the number of guests an update
/// would reach (0 when the change sends nothing), counted as [`change`]
/// will send. Invalid fields are refused as `change` refuses them.
pub async fn change_reach(
    app: &App,
    organiser_id: Uuid,
    event_id: Uuid,
    fields: impl FnOnce(&EventDetails) -> EventFields,
) -> Result<u64> {
    let current = get(app, organiser_id, event_id).await?;
    if current.status == EventStatus::Cancelled {
        return Err(AppError::EventCancelled);
    }
    let details = EventDetails::try_from(fields(&current.details)).map_err(AppError::Invalid)?;
    if current.status == EventStatus::Published && current.details.calendar_changed(&details) {
        Ok(storage::outbox::count_recipients(&*app.db, &current, &update_audience()).await?)
    } else {
        Ok(0)
    }
}

/// Changes an event's details (`fields` builds the new ones from the
/// current), with what follows: seats recounted for a new capacity, an update
/// to guests when time or place moved, the reminder plan laid out again.
pub async fn change(
    app: &App,
    organiser_id: Uuid,
    event_id: Uuid,
    fields: impl FnOnce(&EventDetails) -> EventFields,
) -> Result<Changed> {
    let now = app.now();
    let mut work = app.begin().await?;
    let current = access::lock_event(&*work, now, organiser_id, event_id, Action::Manage).await?;
    if current.status == EventStatus::Cancelled {
        return Err(AppError::EventCancelled);
    }
    let details = EventDetails::try_from(fields(&current.details)).map_err(AppError::Invalid)?;
    let event = storage::events::update_details(&*work, &current, &details, now).await?;
    super::team::record(&work, event.id, organiser_id, Deed::Edited, (None, ""), now).await?;
    if event.details.capacity != current.details.capacity {
        let seats_taken = storage::guests::recount_seats(&*work, event.id).await?;
        super::answers::settle_seats(&mut work, &event, seats_taken, now).await?;
    }
    let calendar_changed = current.details.calendar_changed(&event.details);
    let mut told = 0;
    if event.status == EventStatus::Published {
        if calendar_changed {
            // Everyone still concerned learns of it, and her calendar entry
            // moves: same UID, the higher SEQUENCE is the slot.
            let slot = OutboxSlot::Sequence(event.sequence);
            let audience = update_audience();
            // What it was, so the email can say what changed.
            let payload = UpdatePayload { previous: Some(Previous::of(&current.details)) };
            let payload = serde_json::to_value(&payload).context("an update's payload is JSON")?;
            let queued = storage::outbox::enqueue_for_guests_with(
                &*work,
                &event,
                (MailKind::Update, &slot),
                audience.clone(),
                &payload,
                now,
                now,
            )
            .await?;
            work.queued(queued);
            told = storage::outbox::count_recipients(&*work, &event, &audience).await?;
        }
        if current.details.schedule != event.details.schedule || current.details.plan != event.details.plan {
            storage::plan_slots::replan(&*work, &event, now).await?;
        }
    }
    work.happened(Happening::EventChanged { event: event.id, calendar_changed });
    work.commit(app).await?;
    Ok(Changed { event, told })
}

/// Publishes a draft (sending its invitations and laying out its plan), or
/// cancels an event (telling everyone still concerned). Doing either twice
/// is harmless; a cancelled event stays cancelled.
pub async fn change_status(app: &App, organiser_id: Uuid, event_id: Uuid, target: EventStatus) -> Result<Changed> {
    let mut work = app.begin().await?;
    // Cancelling is the owner's; publishing, anyone who runs the guests.
    let action = if target == EventStatus::Cancelled { Action::Own } else { Action::Manage };
    let current = access::lock_event(&*work, app.now(), organiser_id, event_id, action).await?;
    let changed = match (current.status, target) {
        (from, to) if from == to => Changed { event: current, told: 0 },
        (EventStatus::Cancelled, _) => return Err(AppError::EventCancelled),
        (from, to) => {
            let now = app.now();
            let event = storage::events::set_status(&*work, &current, to, now).await?;
            let told = queue_status_mail(&mut work, &event, from, now).await?;
            let deed = if to == EventStatus::Cancelled { Deed::Cancelled } else { Deed::Published };
            super::team::record(&work, event.id, organiser_id, deed, (None, ""), now).await?;
            Changed { event, told }
        }
    };
    work.commit(app).await?;
    Ok(changed)
}

/// Publishing sends the invitations and lays out the reminder plan;
/// cancelling a published event drops what is queued and tells everyone
/// still concerned, with a calendar cancellation. Returns how many guests
/// the email reaches.
async fn queue_status_mail(work: &mut Work, event: &Event, from: EventStatus, now: DateTime<Utc>) -> Result<u64> {
    if (from, event.status) == (EventStatus::Published, EventStatus::Cancelled) {
        storage::plan_slots::clear(&**work, event.id).await?;
        storage::outbox::skip_pending_for_event(&**work, event.id, MailKind::Cancellation).await?;
    }
    let mut told = 0;
    if let Some((kind, audience)) = status_mail(from, event.status) {
        let queued =
            storage::outbox::enqueue_for_guests(&**work, event, kind, &OutboxSlot::Once, audience.clone(), now, now)
                .await?;
        work.queued(queued);
        told = storage::outbox::count_recipients(&**work, event, &audience).await?;
    }
    match (from, event.status) {
        (EventStatus::Draft, EventStatus::Published) => {
            storage::plan_slots::replan(&**work, event, now).await?;
            work.happened(Happening::EventPublished { event: event.id });
        }
        (_, EventStatus::Cancelled) => work.happened(Happening::EventCancelled { event: event.id }),
        _ => {}
    }
    Ok(told)
}

/// How answers came in for one of her events: the counts, every change of
/// answer oldest first, and when nudges went out.
pub struct Results {
    pub event: Event,
    pub counts: Counts,
    pub history: Vec<storage::answers::AnswerChange>,
    pub nudges_sent: Vec<DateTime<Utc>>,
    /// The same totals as the API's summary.
    pub question_totals: Vec<QuestionTotals>,
    pub written_answers: Vec<WrittenAnswers>,
}

pub async fn results(app: &App, organiser_id: Uuid, event_id: Uuid) -> Result<Results> {
    let (event, counts) = with_counts(app, organiser_id, event_id).await?;
    let history = storage::answers::history(&app.db, event.id).await?;
    let nudges_sent = storage::outbox::sent_times(&app.db, event.id, &[MailKind::Nudge, MailKind::NudgeMaybe]).await?;
    let question_totals = question_totals(app, &event).await?;
    let written_answers = written_answers(app, &event).await?;
    Ok(Results { event, counts, history, nudges_sent, question_totals, written_answers })
}
