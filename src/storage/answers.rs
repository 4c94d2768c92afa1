//! Answers as rows: writing a guest's reply, the waiting list's order, the
//! event's seat counter and the history of changes. The rules that decide
//! what to write are the application layer's (`app::answers`).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    ExprTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use super::entities::{answer_changes, events, guests};
use super::error::{Missing, Result, StorageError};
use crate::domain::answer::{Answer, Channel, Reply};
use crate::domain::event::Event;
use crate::domain::guest::Guest;

/// The guest with this organiser's ids, with her event.
pub async fn find_owned_guest(
    conn: &impl ConnectionTrait,
    organiser_id: Uuid,
    event_id: Uuid,
    guest_id: Uuid,
) -> Result<(Guest, Event)> {
    let (guest, event) = guests::Entity::find()
        .filter(guests::Column::Id.eq(guest_id))
        .filter(guests::Column::EventId.eq(event_id))
        .filter(events::Column::OrganiserId.eq(organiser_id))
        .find_also_related(events::Entity)
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::Guest))?;
    let event = event.ok_or(StorageError::NotFound(Missing::Guest))?;
    Ok((super::guests::to_domain(guest)?, super::events::to_domain(event)?))
}

/// Her answers to the questions as stored: a JSON object by question key.
fn answers_json(answers: &crate::domain::question::Answers) -> String {
    serde_json::to_string(answers).unwrap_or_else(|_| "{}".to_owned())
}

/// The guest columns an answer sets.
fn reply_columns(reply: &Reply, waitlisted_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> guests::ActiveModel {
    guests::ActiveModel {
        answer: Set(Some(reply.answer.as_str().to_owned())),
        companions: Set(reply.companions as i32),
        comment: Set(reply.comment.clone()),
        question_answers: Set(answers_json(&reply.questions)),
        answered_at: Set(Some(now)),
        waitlisted_at: Set(waitlisted_at),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Writes her reply only if her stored answer holds no seat (is not "yes"):
/// false when a concurrent "yes" seated her since it was read.
pub async fn write_reply_if_seatless(
    conn: &impl ConnectionTrait,
    guest_id: Uuid,
    reply: &Reply,
    now: DateTime<Utc>,
) -> Result<bool> {
    let written = guests::Entity::update_many()
        .set(reply_columns(reply, None, now))
        .filter(guests::Column::Id.eq(guest_id))
        .filter(Condition::any().add(guests::Column::Answer.is_null()).add(guests::Column::Answer.ne("yes")))
        .exec(conn)
        .await?;
    Ok(written.rows_affected == 1)
}

/// Writes her reply, waiting for a seat since `waitlisted_at` if set.
pub async fn write_reply(
    conn: &impl ConnectionTrait,
    guest_id: Uuid,
    reply: &Reply,
    waitlisted_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Guest> {
    let mut row = reply_columns(reply, waitlisted_at, now);
    row.id = Set(guest_id);
    Ok(super::guests::to_domain(row.update(conn).await?)?)
}

/// Whether anyone of the event waits ahead of `guest` (anyone at all when
/// she is not waiting herself).
pub async fn someone_waiting_ahead(conn: &impl ConnectionTrait, guest: &Guest) -> Result<bool> {
    let mut ahead = Condition::all()
        .add(guests::Column::EventId.eq(guest.event_id))
        .add(guests::Column::WaitlistedAt.is_not_null())
        .add(guests::Column::Id.ne(guest.id));
    if let Some(since) = guest.waitlisted_at {
        ahead = ahead.add(
            Condition::any()
                .add(guests::Column::WaitlistedAt.lt(since))
                .add(guests::Column::WaitlistedAt.eq(since).and(guests::Column::Id.lt(guest.id))),
        );
    }
    Ok(guests::Entity::find()
        .select_only()
        .column(guests::Column::Id)
        .filter(ahead)
        .into_tuple::<Uuid>()
        .one(conn)
        .await?
        .is_some())
}

/// The waiting list of the event, first come first served.
pub async fn waiting_list(conn: &impl ConnectionTrait, event_id: Uuid) -> Result<Vec<Guest>> {
    guests::Entity::find()
        .filter(guests::Column::EventId.eq(event_id))
        .filter(guests::Column::WaitlistedAt.is_not_null())
        .order_by_asc(guests::Column::WaitlistedAt)
        .order_by_asc(guests::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| super::guests::to_domain(row).map_err(StorageError::from))
        .collect()
}

/// Takes a guest off the waiting list: her "yes" now holds its seats.
pub async fn seat(conn: &impl ConnectionTrait, guest_id: Uuid, now: DateTime<Utc>) -> Result<()> {
    guests::ActiveModel { id: Set(guest_id), waitlisted_at: Set(None), updated_at: Set(now), ..Default::default() }
        .update(conn)
        .await?;
    Ok(())
}

/// Stores the event's seat counter, if it changed.
pub async fn store_seats_taken(conn: &impl ConnectionTrait, event: &Event, seats_taken: u32) -> Result<()> {
    if seats_taken != event.seats_taken {
        events::Entity::update_many()
            .col_expr(events::Column::SeatsTaken, Expr::value(seats_taken as i32))
            .filter(events::Column::Id.eq(event.id))
            .exec(conn)
            .await?;
    }
    Ok(())
}

/// Appends to the event's answer history; returns the entry's id.
pub async fn log_change(
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
        question_answers: Set(answers_json(&reply.questions)),
        waitlisted: Set(waitlisted),
        channel: Set(channel.as_str().to_owned()),
        changed_at: Set(now),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(id)
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
                    questions: super::guests::answers_of(&row.question_answers),
                },
                waitlisted: row.waitlisted,
                channel: Channel::parse(&row.channel).ok_or_else(|| bad("channel"))?,
                changed_at: row.changed_at,
            })
        })
        .collect()
}
