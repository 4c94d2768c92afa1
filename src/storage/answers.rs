//! Answers: recording one under the seating rules, promoting from the waiting
//! list, the history of changes, and the event summary.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, EntityTrait, ExprTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use super::entities::{answer_changes, guests};
use crate::domain::answer::{Answer, Channel, Reply};
use crate::domain::event::{AnswersClosed, Event};
use crate::domain::guest::Guest;
use crate::domain::seating::{self, Placement, SeatContext};
use crate::error::{ApiError, Result};

/// What recording an answer did.
#[derive(Debug, Clone)]
pub struct AnswerOutcome {
    pub guest: Guest,
    /// Her 1-based place if her "yes" is waiting for a seat.
    pub waitlist_position: Option<u32>,
    /// Guests seated from the waiting list because of this change.
    pub promoted: Vec<Uuid>,
}

/// Records `reply` for a guest of `event_id`, in one write transaction with
/// the event row locked, so concurrent answers cannot oversell seats.
/// A guest (`Channel::Guest`) is bound by the event's status and deadline at
/// `now`; the organiser is not.
pub async fn record(
    db: &DatabaseConnection,
    event_id: Uuid,
    guest_id: Uuid,
    reply: &Reply,
    channel: Channel,
    now: DateTime<Utc>,
) -> Result<AnswerOutcome> {
    let tx = super::begin_write(db).await?;
    let event = super::events::lock(&tx, event_id).await?;
    if channel == Channel::Guest {
        event
            .guest_may_answer(now)
            .map_err(|closed| closed_error(&event, closed))?;
    }
    let guest = super::guests::find_in_event(&tx, event.id, guest_id).await?;

    let placement = if reply.answer == Answer::Yes {
        place(&tx, &event, &guest, reply.party_size()).await?
    } else {
        Placement::Seated
    };
    let waitlisted_at = match (reply.answer, placement) {
        // A guest already waiting keeps her place in the queue.
        (Answer::Yes, Placement::Waitlisted) => Some(guest.waitlisted_at.unwrap_or(now)),
        _ => None,
    };
    let row = guests::ActiveModel {
        id: Set(guest.id),
        answer: Set(Some(reply.answer.as_str().to_owned())),
        companions: Set(reply.companions as i32),
        comment: Set(reply.comment.clone()),
        answered_at: Set(Some(now)),
        waitlisted_at: Set(waitlisted_at),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(&tx)
    .await?;
    log_change(
        &tx,
        &event,
        guest.id,
        reply,
        waitlisted_at.is_some(),
        channel,
        now,
    )
    .await?;

    // Seats or a blocking place at the head of the queue may have been freed.
    let promoted = if event.details.capacity.is_some() && (guest.is_seated() || guest.is_waiting())
    {
        promote_waiting(&tx, &event, now).await?
    } else {
        Vec::new()
    };
    let guest = super::guests::to_domain(row)?;
    let waitlist_position = super::guests::waitlist_position(&tx, &guest).await?;
    tx.commit().await?;
    Ok(AnswerOutcome {
        guest,
        waitlist_position,
        promoted,
    })
}

async fn place(
    conn: &impl ConnectionTrait,
    event: &Event,
    guest: &Guest,
    party: u32,
) -> Result<Placement> {
    if event.details.capacity.is_none() {
        return Ok(Placement::Seated);
    }
    let taken_by_others = super::guests::seats_taken(conn, event.id, Some(guest.id)).await?;
    let mut ahead = Condition::all()
        .add(guests::Column::EventId.eq(event.id))
        .add(guests::Column::WaitlistedAt.is_not_null())
        .add(guests::Column::Id.ne(guest.id));
    if let Some(since) = guest.waitlisted_at {
        ahead = ahead.add(
            Condition::any()
                .add(guests::Column::WaitlistedAt.lt(since))
                .add(
                    guests::Column::WaitlistedAt
                        .eq(since)
                        .and(guests::Column::Id.lt(guest.id)),
                ),
        );
    }
    let someone_waiting_ahead = guests::Entity::find()
        .filter(ahead)
        .limit(1)
        .count(conn)
        .await?
        > 0;
    let context = SeatContext {
        capacity: event.details.capacity,
        taken_by_others,
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
        AnswersClosed::NotPublished => ApiError::conflict(
            "event_not_published",
            "this event is not open for answers yet",
        ),
        AnswersClosed::Cancelled => {
            ApiError::gone("event_cancelled", "this event has been cancelled")
        }
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
    event: &Event,
    guest_id: Uuid,
    reply: &Reply,
    waitlisted: bool,
    channel: Channel,
    now: DateTime<Utc>,
) -> Result<()> {
    answer_changes::Entity::insert(answer_changes::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event.id),
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
    Ok(())
}

/// Seats waiting parties, first come first served, while the head of the
/// list fits. Must run inside a transaction that holds the event lock.
pub async fn promote_waiting(
    conn: &impl ConnectionTrait,
    event: &Event,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>> {
    let waiting_rows = guests::Entity::find()
        .filter(guests::Column::EventId.eq(event.id))
        .filter(guests::Column::WaitlistedAt.is_not_null())
        .order_by_asc(guests::Column::WaitlistedAt)
        .order_by_asc(guests::Column::Id)
        .all(conn)
        .await?;
    if waiting_rows.is_empty() {
        return Ok(Vec::new());
    }
    let taken = super::guests::seats_taken(conn, event.id, None).await?;
    let waiting: Vec<(Uuid, u32)> = waiting_rows
        .iter()
        .map(|g| (g.id, 1 + g.companions as u32))
        .collect();
    let promoted = seating::promotions(event.details.capacity, taken, &waiting);
    for row in waiting_rows
        .into_iter()
        .filter(|g| promoted.contains(&g.id))
    {
        let guest = super::guests::to_domain(row)?;
        guests::ActiveModel {
            id: Set(guest.id),
            waitlisted_at: Set(None),
            updated_at: Set(now),
            ..Default::default()
        }
        .update(conn)
        .await?;
        if let Some(reply) = &guest.reply {
            log_change(
                conn,
                event,
                guest.id,
                reply,
                false,
                Channel::WaitingList,
                now,
            )
            .await?;
        }
    }
    Ok(promoted)
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
            let bad = |what: &str| {
                anyhow::anyhow!("stored {what} of answer change {} is unknown", row.id)
            };
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
