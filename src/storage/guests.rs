//! Guests (and so invitations): adding, listing, removing, finding by token.

use std::collections::HashSet;

use anyhow::{Context, anyhow};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Func, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, ExprTrait,
    FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};
use uuid::Uuid;

use super::entities::{events, guests};
use super::error::{Missing, Result, StorageError};
use crate::domain::answer::{Answer, Reply};
use crate::domain::email_address::EmailAddress;
use crate::domain::event::EventStatus;
use crate::domain::event::{Event, Language};
use crate::domain::guest::AnswerFilter;
use crate::domain::guest::{Guest, ListPosition, NewGuest};
use crate::domain::token::{InvitationToken, SecretKey, new_salt};

/// [`crate::domain::guest::holds_seats`] in SQL: a "yes" not waiting for a
/// seat. Every query about seats uses this one condition.
pub(crate) fn seated_condition() -> sea_orm::sea_query::SimpleExpr {
    Expr::col((guests::Entity, guests::Column::Answer))
        .eq(Answer::Yes.as_str())
        .and(Expr::col((guests::Entity, guests::Column::WaitlistedAt)).is_null())
}

/// Whether she came, in SQL: checked in at the door.
pub(crate) fn checked_in_condition() -> sea_orm::sea_query::SimpleExpr {
    Expr::col((guests::Entity, guests::Column::CheckedInAt)).is_not_null()
}

/// Her stored answers to the questions, written by us from checked values;
/// an unreadable one is an old row's "{}".
pub(crate) fn answers_of(raw: &str) -> crate::domain::question::Answers {
    serde_json::from_str(raw).unwrap_or_default()
}

pub(crate) fn to_domain(row: guests::Model) -> anyhow::Result<Guest> {
    let language = row.language.as_deref().map(Language::parse).transpose().map_err(|e| anyhow!(e))?;
    let reply = match row.answer.as_deref() {
        None => None,
        Some(raw) => Some(Reply {
            answer: Answer::parse(raw).ok_or_else(|| anyhow!("stored answer {raw:?} is unknown"))?,
            companions: row.companions as u32,
            comment: row.comment,
            questions: answers_of(&row.question_answers),
        }),
    };
    Ok(Guest {
        id: row.id,
        event_id: row.event_id,
        email: EmailAddress::from_stored(row.email),
        name: row.name,
        first_name: row.first_name,
        language,
        reply,
        answered_at: row.answered_at,
        waitlisted_at: row.waitlisted_at,
        created_at: row.created_at,
        token_salt: row.token_salt,
        checked_in_at: row.checked_in_at,
        checked_in_companions: row.checked_in_companions as u32,
        walk_in: row.walk_in,
    })
}

fn new_row(
    id: Uuid,
    event_id: Uuid,
    guest: &NewGuest,
    salt: String,
    token: &InvitationToken,
    now: DateTime<Utc>,
) -> guests::ActiveModel {
    guests::ActiveModel {
        id: Set(id),
        token_salt: Set(salt),
        event_id: Set(event_id),
        email: Set(guest.email.as_str().to_owned()),
        name: Set(guest.name.clone()),
        first_name: Set(guest.first_name.clone()),
        language: Set(guest.language.map(|l| l.as_str().to_owned())),
        token_hash: Set(token.hash()),
        answer: Set(None),
        companions: Set(0),
        comment: Set(String::new()),
        answered_at: Set(None),
        waitlisted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        checked_in_at: Set(None),
        checked_in_companions: Set(0),
        walk_in: Set(false),
        // The column's default (NULL): inserts name no more columns than before.
        erased_at: sea_orm::ActiveValue::NotSet,
        // The column's default ("{}"): no answers yet.
        question_answers: sea_orm::ActiveValue::NotSet,
    }
}

/// Rows one insert of guests writes at most: 500 rows of the guests'
/// columns stay well within SQLite's and PostgreSQL's parameter limits.
const INSERT_ROWS: usize = 500;

/// Inserts one guest unless her address is already invited; `None` means a
/// duplicate.
pub async fn insert_unless_invited(
    conn: &impl ConnectionTrait,
    event_id: Uuid,
    guest: &NewGuest,
    key: &SecretKey,
    now: DateTime<Utc>,
) -> Result<Option<(Guest, InvitationToken)>> {
    let mut inserted = insert_many_unless_invited(conn, event_id, std::slice::from_ref(guest), key, now).await?;
    Ok(inserted.pop().flatten())
}

/// Inserts guests unless their address is already invited (or listed
/// earlier in `new_guests`): for each, in order, the guest and her token,
/// or `None` for a duplicate. A statement per [`INSERT_ROWS`] guests, not
/// per guest: a list of 10,000 is 20 round trips. `ON CONFLICT DO NOTHING`
/// keeps a batch's transaction usable on PostgreSQL, where a failed insert
/// would abort it.
pub async fn insert_many_unless_invited(
    conn: &impl ConnectionTrait,
    event_id: Uuid,
    new_guests: &[NewGuest],
    key: &SecretKey,
    now: DateTime<Utc>,
) -> Result<Vec<Option<(Guest, InvitationToken)>>> {
    let mut results = Vec::with_capacity(new_guests.len());
    for chunk in new_guests.chunks(INSERT_ROWS) {
        let (prepared, rows): (Vec<_>, Vec<_>) =
            chunk.iter().map(|guest| prepare_guest(event_id, guest, key, now)).unzip();
        // The ids of the rows written: the others met an address already there.
        let written: HashSet<Uuid> = guests::Entity::insert_many(rows)
            .on_conflict(OnConflict::columns([guests::Column::EventId, guests::Column::Email]).do_nothing().to_owned())
            .exec_with_returning_keys(conn)
            .await
            .context("cannot insert the guests")?
            .into_iter()
            .collect();
        results
            .extend(prepared.into_iter().map(|(guest, token)| written.contains(&guest.id).then_some((guest, token))));
    }
    Ok(results)
}

/// A new guest's row, with her id and her token, and the guest it makes.
fn prepare_guest(
    event_id: Uuid,
    guest: &NewGuest,
    key: &SecretKey,
    now: DateTime<Utc>,
) -> ((Guest, InvitationToken), guests::ActiveModel) {
    let id = Uuid::now_v7();
    let salt = new_salt();
    let token = InvitationToken::derive(key, id, &salt);
    let row = new_row(id, event_id, guest, salt.clone(), &token, now);
    let guest = Guest {
        id,
        event_id,
        email: guest.email.clone(),
        name: guest.name.clone(),
        first_name: guest.first_name.clone(),
        language: guest.language,
        reply: None,
        answered_at: None,
        waitlisted_at: None,
        created_at: now,
        token_salt: salt,
        checked_in_at: None,
        checked_in_companions: 0,
        walk_in: false,
    };
    ((guest, token), row)
}

pub async fn find_in_event(conn: &impl ConnectionTrait, event_id: Uuid, guest_id: Uuid) -> Result<Guest> {
    let row = guests::Entity::find_by_id(guest_id)
        .filter(guests::Column::EventId.eq(event_id))
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::Guest))?;
    Ok(to_domain(row)?)
}

/// The guest of the event with this id, and whether anyone else of the
/// event is on the waiting list: one statement, read again under the
/// event's lock by an answer that may move seats.
pub async fn find_in_event_with_others_waiting(
    conn: &impl ConnectionTrait,
    event_id: Uuid,
    guest_id: Uuid,
) -> Result<(Guest, bool)> {
    let statement = guests::Entity::find_by_id(guest_id)
        .filter(guests::Column::EventId.eq(event_id))
        .expr_as(Expr::cust(super::invitations::OTHERS_WAITING), "others_waiting")
        .build(conn.get_database_backend());
    let row = conn.query_one_raw(statement).await?.ok_or(StorageError::NotFound(Missing::Guest))?;
    let others_waiting = row.try_get("", "others_waiting")?;
    Ok((to_domain(guests::Model::from_query_result(&row, "")?)?, others_waiting))
}

/// The guest of the event with this address.
pub async fn find_by_address(conn: &impl ConnectionTrait, event_id: Uuid, email: &EmailAddress) -> Result<Guest> {
    let row = guests::Entity::find()
        .filter(guests::Column::EventId.eq(event_id))
        .filter(guests::Column::Email.eq(email.as_str()))
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::Guest))?;
    Ok(to_domain(row)?)
}

/// These guests, in no particular order.
pub async fn find_many(db: &DatabaseConnection, ids: &[Uuid]) -> Result<Vec<Guest>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = guests::Entity::find().filter(guests::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    Ok(rows.into_iter().map(to_domain).collect::<anyhow::Result<Vec<_>>>()?)
}

/// The guest holding this invitation token, with her event.
pub async fn find_by_token(db: &impl ConnectionTrait, token_hash: &str) -> Result<(Guest, Event)> {
    let (guest, event) = guests::Entity::find()
        .filter(guests::Column::TokenHash.eq(token_hash))
        .find_also_related(events::Entity)
        .one(db)
        .await?
        .ok_or(StorageError::NotFound(Missing::Invitation))?;
    let event = event.ok_or_else(|| anyhow!("guest {} has no event", guest.id))?;
    Ok((to_domain(guest)?, super::events::to_domain(event)?))
}

/// Every invitation of this organiser's events that this address said yes
/// to, with its event: a guest's feed. Only one organiser's: she can open
/// any of her guests' pages, so a feed spanning organisers would show her
/// what her guests accepted elsewhere. Drafts are left out.
pub async fn accepted_by(
    db: &DatabaseConnection,
    email: &EmailAddress,
    organiser_id: Uuid,
) -> Result<Vec<(Guest, Event)>> {
    let rows = guests::Entity::find()
        .filter(guests::Column::Email.eq(email.as_str()))
        .filter(events::Column::OrganiserId.eq(organiser_id))
        .filter(guests::Column::Answer.eq(Answer::Yes.as_str()))
        .find_also_related(events::Entity)
        .filter(events::Column::Status.ne(EventStatus::Draft.as_str()))
        .order_by_asc(events::Column::StartsAt)
        .limit(500)
        .all(db)
        .await?;
    let mut accepted = Vec::with_capacity(rows.len());
    for (guest, event) in rows {
        let event = event.ok_or_else(|| anyhow!("guest {} has no event", guest.id))?;
        accepted.push((to_domain(guest)?, super::events::to_domain(event)?));
    }
    Ok(accepted)
}

/// Every guest of the event in the order they were invited, each with her
/// place on the waiting list (1-based) if she is on it.
pub async fn list(db: &DatabaseConnection, event_id: Uuid) -> Result<Vec<(Guest, Option<u32>)>> {
    let rows = guests::Entity::find()
        .filter(guests::Column::EventId.eq(event_id))
        .order_by_asc(guests::Column::CreatedAt)
        .order_by_asc(guests::Column::Id)
        .all(db)
        .await?;
    let guests = rows.into_iter().map(to_domain).collect::<anyhow::Result<Vec<_>>>()?;
    let mut waiting: Vec<&Guest> = guests.iter().filter(|g| g.is_waiting()).collect();
    waiting.sort_by_key(|g| (g.waitlisted_at, g.id));
    let positions: std::collections::HashMap<Uuid, u32> =
        waiting.iter().enumerate().map(|(i, g)| (g.id, i as u32 + 1)).collect();
    Ok(guests
        .into_iter()
        .map(|g| {
            let position = positions.get(&g.id).copied();
            (g, position)
        })
        .collect())
}

/// The answers to the questions of the event's seated guests (a "yes" not
/// waiting): what the totals for catering count. One column, not whole rows.
pub async fn seated_answers(
    conn: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<crate::domain::question::Answers>> {
    let raw: Vec<String> = guests::Entity::find()
        .select_only()
        .column(guests::Column::QuestionAnswers)
        .filter(guests::Column::EventId.eq(event_id))
        .filter(seated_condition())
        .into_tuple()
        .all(conn)
        .await?;
    Ok(raw.iter().map(|answers| answers_of(answers)).collect())
}

/// Every guest's answers to the questions, whatever she answered: how
/// many answered each question, for the organiser about to change them.
pub async fn all_answers(conn: &impl ConnectionTrait, event_id: Uuid) -> Result<Vec<crate::domain::question::Answers>> {
    let raw: Vec<String> = guests::Entity::find()
        .select_only()
        .column(guests::Column::QuestionAnswers)
        .filter(guests::Column::EventId.eq(event_id))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(raw.iter().map(|answers| answers_of(answers)).collect())
}

/// The seated guests' names (else addresses) with their answers to the
/// questions, in the order they were invited: who wrote what.
pub async fn seated_answers_by_guest(
    conn: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<Vec<(String, crate::domain::question::Answers)>> {
    let rows: Vec<(String, String, String)> = guests::Entity::find()
        .select_only()
        .column(guests::Column::Name)
        .column(guests::Column::Email)
        .column(guests::Column::QuestionAnswers)
        .filter(guests::Column::EventId.eq(event_id))
        .filter(seated_condition())
        .order_by_asc(guests::Column::CreatedAt)
        .order_by_asc(guests::Column::Id)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(name, email, answers)| (if name.trim().is_empty() { email } else { name }, answers_of(&answers)))
        .collect())
}

/// One page of an event's guests in the order they were invited, those whose
/// name or address holds `search` (any case), with each one's waiting-list
/// place; and how many guests match in all. Bounded whatever the list's size.
pub async fn page(
    db: &DatabaseConnection,
    event_id: Uuid,
    search: Option<&str>,
    filter: AnswerFilter,
    offset: u64,
    limit: u64,
) -> Result<(Vec<(Guest, Option<u32>)>, u64)> {
    let mut matching = guests::Entity::find().filter(guests::Column::EventId.eq(event_id));
    let answer = |answer: Answer| guests::Column::Answer.eq(answer.as_str());
    matching = match filter {
        AnswerFilter::All => matching,
        AnswerFilter::Yes => matching.filter(answer(Answer::Yes)).filter(guests::Column::WaitlistedAt.is_null()),
        AnswerFilter::No => matching.filter(answer(Answer::No)),
        AnswerFilter::Maybe => matching.filter(answer(Answer::Maybe)),
        AnswerFilter::NotAnswered => {
            matching.filter(guests::Column::Answer.is_null()).filter(guests::Column::WalkIn.eq(false))
        }
        AnswerFilter::Waiting => matching.filter(guests::Column::WaitlistedAt.is_not_null()),
    };
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = format!("%{}%", search.to_lowercase().replace(['%', '_'], ""));
        matching = matching.filter(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(guests::Column::Name))).like(pattern.clone()))
                .add(guests::Column::Email.like(pattern)),
        );
    }
    let total = matching.clone().count(db).await?;
    let rows = matching
        .order_by_asc(guests::Column::CreatedAt)
        .order_by_asc(guests::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await?;
    Ok((with_places(db, event_id, rows).await?, total))
}

/// Up to `limit` guests of the event invited after `after` (from the
/// start without it), in the order they were invited, with their
/// waiting-list places: a page that costs the same at the end of a long
/// list as at its start.
pub async fn after(
    db: &DatabaseConnection,
    event_id: Uuid,
    after: Option<ListPosition>,
    limit: u64,
) -> Result<Vec<(Guest, Option<u32>)>> {
    let mut query = guests::Entity::find().filter(guests::Column::EventId.eq(event_id));
    if let Some(ListPosition { created_at, id }) = after {
        query = query.filter(
            Condition::any()
                .add(guests::Column::CreatedAt.gt(created_at))
                .add(Condition::all().add(guests::Column::CreatedAt.eq(created_at)).add(guests::Column::Id.gt(id))),
        );
    }
    let rows =
        query.order_by_asc(guests::Column::CreatedAt).order_by_asc(guests::Column::Id).limit(limit).all(db).await?;
    with_places(db, event_id, rows).await
}

/// The rows as guests, each with her place on the waiting list, read as its
/// ids only, in order (one column, however long).
async fn with_places(
    db: &DatabaseConnection,
    event_id: Uuid,
    rows: Vec<guests::Model>,
) -> Result<Vec<(Guest, Option<u32>)>> {
    let guests = rows.into_iter().map(to_domain).collect::<anyhow::Result<Vec<_>>>()?;
    if !guests.iter().any(Guest::is_waiting) {
        return Ok(guests.into_iter().map(|g| (g, None)).collect());
    }
    let waiting: Vec<Uuid> = guests::Entity::find()
        .select_only()
        .column(guests::Column::Id)
        .filter(guests::Column::EventId.eq(event_id))
        .filter(guests::Column::WaitlistedAt.is_not_null())
        .order_by_asc(guests::Column::WaitlistedAt)
        .order_by_asc(guests::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let positions: std::collections::HashMap<Uuid, u32> =
        waiting.into_iter().enumerate().map(|(i, id)| (id, i as u32 + 1)).collect();
    Ok(guests
        .into_iter()
        .map(|g| {
            let position = positions.get(&g.id).copied();
            (g, position)
        })
        .collect())
}

/// The languages the event's guests chose (`None` for those who chose
/// none), each once.
pub async fn languages(db: &DatabaseConnection, event_id: Uuid) -> Result<Vec<Option<Language>>> {
    let chosen: Vec<Option<String>> = guests::Entity::find()
        .select_only()
        .column(guests::Column::Language)
        .distinct()
        .filter(guests::Column::EventId.eq(event_id))
        .into_tuple()
        .all(db)
        .await?;
    Ok(chosen
        .into_iter()
        .map(|raw| raw.as_deref().map(Language::parse).transpose())
        .collect::<std::result::Result<_, _>>()
        .map_err(|e| anyhow!(e))?)
}

/// Her 1-based place on the waiting list, if she is on it.
pub async fn waitlist_position(conn: &impl ConnectionTrait, guest: &Guest) -> Result<Option<u32>> {
    let Some(since) = guest.waitlisted_at else {
        return Ok(None);
    };
    let ahead = guests::Entity::find()
        .filter(guests::Column::EventId.eq(guest.event_id))
        .filter(
            Condition::any()
                .add(guests::Column::WaitlistedAt.lt(since))
                .add(guests::Column::WaitlistedAt.eq(since).and(guests::Column::Id.lt(guest.id))),
        )
        .count(conn)
        .await?;
    Ok(Some(ahead as u32 + 1))
}

/// Deletes a guest of the event.
pub async fn delete(conn: &impl ConnectionTrait, event_id: Uuid, guest_id: Uuid) -> Result<()> {
    let deleted = guests::Entity::delete_many()
        .filter(guests::Column::Id.eq(guest_id))
        .filter(guests::Column::EventId.eq(event_id))
        .exec(conn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(StorageError::NotFound(Missing::Guest));
    }
    Ok(())
}

/// Seats held by seated "yes" answers and their companions, added up from
/// the guest list; used when a capacity is set or changed, since the event's
/// counter is only kept while it has one.
pub async fn recount_seats(conn: &impl ConnectionTrait, event_id: Uuid) -> Result<u32> {
    let seats: Option<i64> = guests::Entity::find()
        .select_only()
        .column_as(Expr::cust("COALESCE(SUM(1 + companions), 0)"), "seats")
        .filter(guests::Column::EventId.eq(event_id))
        .filter(seated_condition())
        .into_tuple()
        .one(conn)
        .await?;
    Ok(seats.unwrap_or(0) as u32)
}
