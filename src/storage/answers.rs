//! Answers: recording one under the seating rules, promoting from the waiting
//! list, the history of changes.
//!
//! Only answers that can move seats (a "yes", or leaving a seat or the
//! waiting list, on an event with a capacity) lock the event row; the others
//! touch only the guest's own row, so they never queue behind each other.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    ExprTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::entities::{answer_changes, events, guests};
use super::organisers::Notifications;
use super::outbox::Audience;
use super::{Db, begin_write};
use crate::domain::answer::{Answer, Channel, Reply};
use crate::domain::event::{AnswersClosed, Event, EventStatus};
use crate::domain::guest::Guest;
use crate::domain::mail::MailKind;
use crate::domain::seating::{self, Placement, SeatContext};
use crate::error::{ApiError, Result};
use crate::mail::context::NoteContext;

/// Whose answer is being recorded, and how the guest is found.
#[derive(Debug, Clone)]
pub enum Answerer {
    /// The guest herself, by the hash of her invitation token. Bound by the
    /// event's status and deadline.
    Guest { token_hash: String },
    /// The organiser, for one of her guests. Bound by neither.
    Organiser { organiser_id: Uuid, event_id: Uuid, guest_id: Uuid },
}

/// What recording an answer did.
#[derive(Debug, Clone)]
pub struct AnswerOutcome {
    pub event: Event,
    pub guest: Guest,
    /// Her 1-based place if her "yes" is waiting for a seat.
    pub waitlist_position: Option<u32>,
    /// Guests seated from the waiting list because of this change.
    pub promoted: Vec<Uuid>,
}

/// Records the reply that `parse` makes of the request once the event is
/// known (its companion limit depends on the event), in one transaction.
pub async fn record(
    db: &Db,
    answerer: Answerer,
    parse: impl FnOnce(&Event) -> Result<Reply>,
    now: DateTime<Utc>,
) -> Result<AnswerOutcome> {
    let mut tx = begin_write(db).await?;
    let (channel, mut guest, mut event) = find_answerer(&*tx, &answerer).await?;
    let reply = parse(&event)?;
    if channel == Channel::Guest {
        event.guest_may_answer(now).map_err(|closed| closed_error(&event, closed))?;
    }

    let mut moves_seats =
        event.details.capacity.is_some() && (reply.answer == Answer::Yes || guest.is_seated() || guest.is_waiting());
    if !moves_seats && reply.answer == Answer::Yes {
        // A "yes" on an event without a capacity: make sure none is being set
        // right now, or the recount that comes with it would miss this seat.
        event = super::events::lock_shared(&*tx, event.id).await?;
        moves_seats = event.details.capacity.is_some();
    }
    if !moves_seats {
        // Her answer held no seat when we read it. Write the new one only if
        // that is still so: a concurrent "yes" may have seated her since, and
        // then this change moves seats after all.
        let written = guests::Entity::update_many()
            .set(reply_columns(&reply, None, now))
            .filter(guests::Column::Id.eq(guest.id))
            .filter(Condition::any().add(guests::Column::Answer.is_null()).add(guests::Column::Answer.ne("yes")))
            .exec(&*tx)
            .await?;
        if written.rows_affected == 1 {
            let change = log_change(&*tx, event.id, guest.id, &reply, false, channel, now).await?;
            notify_organiser(&*tx, &event, &guest, &reply, false, channel, change, now).await?;
            tx.commit().await?;
            let guest = Guest { reply: Some(reply), answered_at: Some(now), waitlisted_at: None, ..guest };
            return Ok(AnswerOutcome { event, guest, waitlist_position: None, promoted: Vec::new() });
        }
        // Start over in a new transaction: on PostgreSQL, an UPDATE whose
        // row changed under it keeps that row locked even when it no longer
        // matches, and holding a guest's row while waiting for the event's
        // lock deadlocks with a change that holds the event and promotes her.
        tx.rollback().await?;
        tx = begin_write(db).await?;
    }

    // Serialise seat changes for this event, then re-read the guest: a
    // concurrent change of her own answer may have committed meanwhile.
    event = super::events::lock(&*tx, event.id).await?;
    if channel == Channel::Guest {
        // Read again under the lock: the event may have closed or been cancelled since.
        event.guest_may_answer(now).map_err(|closed| closed_error(&event, closed))?;
    }
    guest = super::guests::find_in_event(&*tx, event.id, guest.id).await?;
    let held_before = if guest.is_seated() { party_of(&guest) } else { 0 };

    let placement = if reply.answer == Answer::Yes {
        place(&*tx, &event, &guest, held_before, reply.party_size()).await?
    } else {
        Placement::Seated
    };
    let waitlisted_at = match (reply.answer, placement) {
        // A guest already waiting keeps her place in the queue.
        (Answer::Yes, Placement::Waitlisted) => Some(guest.waitlisted_at.unwrap_or(now)),
        _ => None,
    };
    let mut row = reply_columns(&reply, waitlisted_at, now);
    row.id = Set(guest.id);
    let row = row.update(&*tx).await?;
    let change = log_change(&*tx, event.id, guest.id, &reply, waitlisted_at.is_some(), channel, now).await?;
    notify_organiser(&*tx, &event, &guest, &reply, waitlisted_at.is_some(), channel, change, now).await?;
    let updated = super::guests::to_domain(row)?;
    if let Some(since) = waitlisted_at.filter(|_| !guest.is_waiting() && event.status == EventStatus::Published) {
        let slot = since.to_rfc3339();
        let only = Audience::Only(vec![guest.id]);
        super::outbox::enqueue_for_guests(&*tx, &event, MailKind::Waitlisted, &slot, only, now, now).await?;
    }

    let mut promoted = Vec::new();
    // The counter is kept while there is a capacity (and recounted when one is set).
    if event.details.capacity.is_some() {
        let held_after = if updated.is_seated() { reply.party_size() } else { 0 };
        let seats_taken = event.seats_taken - held_before + held_after;
        // Only freed seats, or a place freed at the head of the queue, can
        // let someone in from the waiting list.
        if held_after < held_before || (guest.is_waiting() && !updated.is_waiting()) {
            let settled = settle_seats(&*tx, &event, seats_taken, now).await?;
            promoted = settled.promoted;
            event.seats_taken = settled.seats_taken;
        } else {
            store_seats_taken(&*tx, &event, seats_taken).await?;
            event.seats_taken = seats_taken;
        }
    }
    let waitlist_position = super::guests::waitlist_position(&*tx, &updated).await?;
    tx.commit().await?;
    Ok(AnswerOutcome { event, guest: updated, waitlist_position, promoted })
}

/// The guest columns an answer sets.
fn reply_columns(reply: &Reply, waitlisted_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> guests::ActiveModel {
    guests::ActiveModel {
        answer: Set(Some(reply.answer.as_str().to_owned())),
        companions: Set(reply.companions as i32),
        comment: Set(reply.comment.clone()),
        answered_at: Set(Some(now)),
        waitlisted_at: Set(waitlisted_at),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// The guest and her event, found by token or by the organiser's ids.
async fn find_answerer(conn: &impl ConnectionTrait, answerer: &Answerer) -> Result<(Channel, Guest, Event)> {
    let (channel, query) = match answerer {
        Answerer::Guest { token_hash } => {
            (Channel::Guest, guests::Entity::find().filter(guests::Column::TokenHash.eq(token_hash.as_str())))
        }
        Answerer::Organiser { organiser_id, event_id, guest_id } => (
            Channel::Organiser,
            guests::Entity::find()
                .filter(guests::Column::Id.eq(*guest_id))
                .filter(guests::Column::EventId.eq(*event_id))
                .filter(events::Column::OrganiserId.eq(*organiser_id)),
        ),
    };
    let not_found = || ApiError::NotFound(if channel == Channel::Guest { "invitation" } else { "guest" });
    let (guest, event) = query.find_also_related(events::Entity).one(conn).await?.ok_or_else(not_found)?;
    let event = event.ok_or_else(not_found)?;
    Ok((channel, super::guests::to_domain(guest)?, super::events::to_domain(event)?))
}

fn party_of(guest: &Guest) -> u32 {
    guest.reply.as_ref().map_or(0, Reply::party_size)
}

async fn place(
    conn: &impl ConnectionTrait,
    event: &Event,
    guest: &Guest,
    held_before: u32,
    party: u32,
) -> Result<Placement> {
    let mut ahead = Condition::all()
        .add(guests::Column::EventId.eq(event.id))
        .add(guests::Column::WaitlistedAt.is_not_null())
        .add(guests::Column::Id.ne(guest.id));
    if let Some(since) = guest.waitlisted_at {
        ahead = ahead.add(
            Condition::any()
                .add(guests::Column::WaitlistedAt.lt(since))
                .add(guests::Column::WaitlistedAt.eq(since).and(guests::Column::Id.lt(guest.id))),
        );
    }
    let someone_waiting_ahead = guests::Entity::find()
        .select_only()
        .column(guests::Column::Id)
        .filter(ahead)
        .into_tuple::<Uuid>()
        .one(conn)
        .await?
        .is_some();
    let context = SeatContext {
        capacity: event.details.capacity,
        taken_by_others: event.seats_taken - held_before,
        currently_seated: guest.is_seated(),
        someone_waiting_ahead,
    };
    context.place(party).map_err(|short| {
        ApiError::conflict(
            "not_enough_seats",
            format!(
                "only {} seat(s) remain for you and your companions; your current answer is unchanged",
                short.seats_left
            ),
        )
    })
}

fn closed_error(event: &Event, closed: AnswersClosed) -> ApiError {
    match closed {
        AnswersClosed::NotPublished => {
            ApiError::conflict("event_not_published", "this event is not open for answers yet")
        }
        AnswersClosed::Cancelled => ApiError::gone("event_cancelled", "this event has been cancelled"),
        AnswersClosed::DeadlinePassed(at) => {
            let local = at.with_timezone(&event.details.schedule.time_zone);
            ApiError::gone(
                "answers_closed",
                format!(
                    "answers closed on {} ({}); contact the organiser to change your answer",
                    local.format("%Y-%m-%d %H:%M"),
                    event.details.schedule.time_zone
                ),
            )
        }
    }
}

async fn log_change(
    conn: &impl ConnectionTrait,
    event_id: Uuid,
    guest_id: Uuid,
    reply: &Reply,
    waitlisted: bool,
    channel: Channel,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    answer_changes::Entity::insert(answer_changes::ActiveModel {
        id: Set(id),
        event_id: Set(event_id),
        guest_id: Set(guest_id),
        answer: Set(reply.answer.as_str().to_owned()),
        companions: Set(reply.companions as i32),
        comment: Set(reply.comment.clone()),
        waitlisted: Set(waitlisted),
        channel: Set(channel.as_str().to_owned()),
        changed_at: Set(now),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(id)
}

/// What settling the seats did.
#[derive(Debug, Clone, Default)]
pub struct Settled {
    /// Guests seated from the waiting list, in order.
    pub promoted: Vec<Uuid>,
    /// The event's seat count afterwards.
    pub seats_taken: u32,
}

/// Seats waiting parties, first come first served, while the head of the
/// list fits, and stores the event's resulting seat count. `seats_taken` is
/// the count before promotions. Must run in a transaction holding the event
/// lock ([`super::events::lock`]).
pub async fn settle_seats(
    conn: &impl ConnectionTrait,
    event: &Event,
    seats_taken: u32,
    now: DateTime<Utc>,
) -> Result<Settled> {
    let waiting_rows = guests::Entity::find()
        .filter(guests::Column::EventId.eq(event.id))
        .filter(guests::Column::WaitlistedAt.is_not_null())
        .order_by_asc(guests::Column::WaitlistedAt)
        .order_by_asc(guests::Column::Id)
        .all(conn)
        .await?;
    let waiting: Vec<(Uuid, u32)> = waiting_rows.iter().map(|g| (g.id, 1 + g.companions as u32)).collect();
    let promoted = seating::promotions(event.details.capacity, seats_taken, &waiting);
    let mut seats_taken = seats_taken;
    for row in waiting_rows.into_iter().filter(|g| promoted.contains(&g.id)) {
        let guest = super::guests::to_domain(row)?;
        guests::ActiveModel { id: Set(guest.id), waitlisted_at: Set(None), updated_at: Set(now), ..Default::default() }
            .update(conn)
            .await?;
        if let Some(reply) = &guest.reply {
            seats_taken += reply.party_size();
            log_change(conn, event.id, guest.id, reply, false, Channel::WaitingList, now).await?;
        }
    }
    store_seats_taken(conn, event, seats_taken).await?;
    if !promoted.is_empty() && event.status == EventStatus::Published {
        let slot = now.to_rfc3339();
        let only = Audience::Only(promoted.clone());
        super::outbox::enqueue_for_guests(conn, event, MailKind::Promoted, &slot, only, now, now).await?;
    }
    Ok(Settled { promoted, seats_taken })
}

/// Tells the organiser about a guest's own answer that carries a comment or
/// changes her mind, if she wants a note for each (a digest collects the
/// rest later from the history).
#[allow(clippy::too_many_arguments)]
async fn notify_organiser(
    conn: &impl ConnectionTrait,
    event: &Event,
    before: &Guest,
    reply: &Reply,
    waitlisted: bool,
    channel: Channel,
    change: Uuid,
    now: DateTime<Utc>,
) -> Result<()> {
    let previous = before.reply.as_ref().map(|r| r.answer);
    let changed_mind = previous.is_some_and(|p| p != reply.answer);
    let new_comment = !reply.comment.is_empty() && before.reply.as_ref().is_none_or(|r| r.comment != reply.comment);
    if channel != Channel::Guest || !(changed_mind || new_comment) {
        return Ok(());
    }
    let Some(organiser) = super::organisers::find_many(conn, [event.organiser_id]).await?.pop() else {
        return Ok(());
    };
    if organiser.notifications != Notifications::Each {
        return Ok(());
    }
    let note = NoteContext {
        guest_name: before.name.clone(),
        guest_email: before.email.to_string(),
        answer: reply.answer.as_str().to_owned(),
        previous_answer: previous.map(|a| a.as_str().to_owned()),
        companions: reply.companions,
        comment: reply.comment.clone(),
        waitlisted,
    };
    let payload = serde_json::to_value(&note).map_err(anyhow::Error::from)?;
    super::outbox::enqueue_for_organiser(
        conn,
        event,
        MailKind::OrganiserNote,
        &change.to_string(),
        organiser.email.as_str(),
        &payload,
        now,
        now,
    )
    .await?;
    Ok(())
}

async fn store_seats_taken(conn: &impl ConnectionTrait, event: &Event, seats_taken: u32) -> Result<()> {
    if seats_taken != event.seats_taken {
        events::Entity::update_many()
            .col_expr(events::Column::SeatsTaken, Expr::value(seats_taken as i32))
            .filter(events::Column::Id.eq(event.id))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// One entry of an event's answer history.
#[derive(Debug, Clone)]
pub struct AnswerChange {
    pub guest_id: Uuid,
    pub reply: Reply,
    pub waitlisted: bool,
    pub channel: Channel,
    pub changed_at: DateTime<Utc>,
}

/// Every answer change of the event, oldest first.
pub async fn history(db: &DatabaseConnection, event_id: Uuid) -> Result<Vec<AnswerChange>> {
    let rows = answer_changes::Entity::find()
        .filter(answer_changes::Column::EventId.eq(event_id))
        .order_by_asc(answer_changes::Column::ChangedAt)
        .order_by_asc(answer_changes::Column::Id)
        .all(db)
        .await?;
    rows.into_iter()
        .map(|row| {
            let bad = |what: &str| anyhow::anyhow!("stored {what} of answer change {} is unknown", row.id);
            Ok(AnswerChange {
                guest_id: row.guest_id,
                reply: Reply {
                    answer: Answer::parse(&row.answer).ok_or_else(|| bad("answer"))?,
                    companions: row.companions as u32,
                    comment: row.comment.clone(),
                },
                waitlisted: row.waitlisted,
                channel: Channel::parse(&row.channel).ok_or_else(|| bad("channel"))?,
                changed_at: row.changed_at,
            })
        })
        .collect()
}
