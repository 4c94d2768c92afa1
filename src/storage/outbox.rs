//! The outbox: queueing emails inside business transactions, and claiming,
//! completing or retrying them in the dispatcher.

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, LockBehavior, LockType, OnConflict, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, ExprTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait, Statement, UpdateMany,
};
use uuid::Uuid;

use super::entities::outbox::OutboxStatus;
use super::entities::{guests, outbox, unsubscribes};
use super::error::Result;
use super::{Db, begin_write};
use crate::domain::answer::Answer;
use crate::domain::event::{Event, Language};
use crate::domain::mail::{MailKind, OutboxSlot};

/// Which guests of an event an email goes to.
#[derive(Debug, Clone)]
pub enum Audience {
    /// Every guest.
    Everyone,
    /// Everyone but those who said no.
    NotDeclined,
    /// Those who have not answered.
    Unanswered,
    /// Those who answered maybe.
    Maybe,
    /// Those holding seats.
    Seated,
    /// Those who may have come: seated, or checked in at the door.
    SeatedOrCheckedIn,
    /// These guests.
    Only(Vec<Uuid>),
}

/// Queues `kind` for the `audience` of `event`, due at `due_at`, in one
/// `INSERT … SELECT` so that ten thousand guests cost one statement and no
/// memory. `slot` tells repeated emails of one kind apart (a nudge's offset,
/// an update's sequence); a (guest, kind, slot) already queued is skipped.
pub async fn enqueue_for_guests(
    conn: &impl ConnectionTrait,
    event: &Event,
    kind: MailKind,
    slot: &OutboxSlot,
    audience: Audience,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let payload = serde_json::json!({});
    enqueue_for_guests_with(conn, event, (kind, slot), audience, &payload, due_at, now).await
}

/// As [`enqueue_for_guests`], every row carrying `payload` (an update's
/// previous details).
pub async fn enqueue_for_guests_with(
    conn: &impl ConnectionTrait,
    event: &Event,
    (kind, slot): (MailKind, &OutboxSlot),
    audience: Audience,
    payload: &serde_json::Value,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let mut select = Query::select();
    select
        .expr(Expr::val(event.id))
        .column((guests::Entity, guests::Column::Id))
        .expr(Expr::val(event.organiser_id))
        .column((guests::Entity, guests::Column::Id))
        .expr(Expr::val(kind.as_str()))
        .expr(Expr::val(slot.key()))
        .column((guests::Entity, guests::Column::Email))
        .expr(Expr::val(payload.to_string()))
        .expr(Expr::val(due_at))
        .expr(Expr::val(OutboxStatus::Pending.as_str()))
        .expr(Expr::val(0))
        .expr(Expr::val(now))
        .from(guests::Entity)
        .and_where(guests::Column::EventId.eq(event.id));
    audience_filter(&mut select, &audience);
    let insert = Query::insert()
        .into_table(outbox::Entity)
        .columns([
            outbox::Column::EventId,
            outbox::Column::GuestId,
            outbox::Column::OrganiserId,
            outbox::Column::SubjectId,
            outbox::Column::Kind,
            outbox::Column::Slot,
            outbox::Column::Recipient,
            outbox::Column::Payload,
            outbox::Column::DueAt,
            outbox::Column::Status,
            outbox::Column::Attempts,
            outbox::Column::CreatedAt,
        ])
        .select_from(select)
        .map_err(|e| anyhow::anyhow!("cannot build the outbox insert: {e}"))?
        .on_conflict(
            OnConflict::columns([outbox::Column::SubjectId, outbox::Column::Kind, outbox::Column::Slot])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    let result = conn.execute(&insert).await?;
    Ok(result.rows_affected())
}

/// How many guests of `event` an email to `audience` would reach: those
/// [`enqueue_for_guests`] picks, less those who unsubscribed from the
/// organiser's emails (the dispatcher skips them). What the dashboard says
/// before an action that sends, so it must pick exactly as the queue does.
pub async fn count_recipients(conn: &impl ConnectionTrait, event: &Event, audience: &Audience) -> Result<u64> {
    let unsubscribed = Query::select()
        .column(unsubscribes::Column::Email)
        .from(unsubscribes::Entity)
        .and_where(unsubscribes::Column::OrganiserId.eq(event.organiser_id))
        .to_owned();
    let mut select = Query::select();
    select
        .expr(Expr::cust("COUNT(*)"))
        .from(guests::Entity)
        .and_where(guests::Column::EventId.eq(event.id))
        .and_where(Expr::col((guests::Entity, guests::Column::Email)).not_in_subquery(unsubscribed));
    audience_filter(&mut select, audience);
    let row = conn.query_one(&select).await?;
    let count: i64 = match row {
        Some(row) => row.try_get_by_index(0)?,
        None => 0,
    };
    Ok(u64::try_from(count).unwrap_or_default())
}

fn audience_filter(select: &mut SelectStatement, audience: &Audience) {
    // A guest whose data was erased is no one to write to.
    select.and_where(Expr::col((guests::Entity, guests::Column::ErasedAt)).is_null());
    let answer = (guests::Entity, guests::Column::Answer);
    match audience {
        Audience::Everyone => {}
        Audience::NotDeclined => {
            select.and_where(Expr::col(answer).is_null().or(Expr::col(answer).ne(Answer::No.as_str())));
        }
        Audience::Unanswered => {
            select.and_where(Expr::col(answer).is_null());
        }
        Audience::Maybe => {
            select.and_where(Expr::col(answer).eq(Answer::Maybe.as_str()));
        }
        Audience::Seated => {
            select.and_where(super::guests::seated_condition());
        }
        Audience::SeatedOrCheckedIn => {
            select.and_where(super::guests::seated_condition().or(super::guests::checked_in_condition()));
        }
        Audience::Only(ids) => {
            select.and_where(Expr::col((guests::Entity, guests::Column::Id)).is_in(ids.iter().copied()));
        }
    }
}

/// An email for the organiser herself.
#[allow(clippy::too_many_arguments)]
pub async fn enqueue_for_organiser(
    conn: &impl ConnectionTrait,
    event: &Event,
    kind: MailKind,
    slot: &OutboxSlot,
    recipient: &str,
    payload: &serde_json::Value,
    due_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64> {
    queue_once(
        conn,
        Row {
            event_id: Some(event.id),
            organiser_id: event.organiser_id,
            subject_id: event.organiser_id,
            kind,
            slot: slot.key(),
            recipient,
            payload: payload.to_string(),
            due_at,
        },
        now,
    )
    .await
}

/// The email asking someone who registered for an open event to confirm.
/// `slot` tells her successive requests apart.
pub async fn enqueue_for_registration(
    conn: &impl ConnectionTrait,
    event: &Event,
    registration_id: Uuid,
    recipient: &str,
    slot: &OutboxSlot,
    now: DateTime<Utc>,
) -> Result<u64> {
    queue_once(
        conn,
        Row {
            event_id: Some(event.id),
            organiser_id: event.organiser_id,
            subject_id: registration_id,
            kind: MailKind::RegistrationConfirm,
            slot: slot.key(),
            recipient,
            payload: "{}".to_owned(),
            due_at: now,
        },
        now,
    )
    .await
}

/// Drops what is still queued for an event, but for `keep`: a cancelled
/// event sends its cancellation and nothing else.
pub async fn skip_pending_for_event(conn: &impl ConnectionTrait, event_id: Uuid, keep: MailKind) -> Result<u64> {
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::val(OutboxStatus::Skipped.as_str()))
        .col_expr(outbox::Column::LastError, Expr::val("the event was cancelled"))
        .filter(outbox::Column::EventId.eq(event_id))
        .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
        .filter(outbox::Column::Kind.ne(keep.as_str()))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// Claims up to `limit` due rows for this process: marks them `sending` with
/// a lease and commits at once, so the SMTP conversation happens outside any
/// transaction. On PostgreSQL the inner select skips rows another process has
/// locked (`FOR UPDATE SKIP LOCKED`); on SQLite, where sea-query drops the
/// clause, the write transaction (`BEGIN IMMEDIATE`) makes the claim atomic.
pub async fn claim_due(db: &Db, now: DateTime<Utc>, lease: Duration, limit: u64) -> Result<Vec<outbox::Model>> {
    let tx = begin_write(db).await?;
    let due = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Id)
        .filter(outbox::Column::Status.eq(OutboxStatus::Pending))
        .filter(outbox::Column::DueAt.lte(now))
        .order_by_asc(outbox::Column::DueAt)
        .order_by_asc(outbox::Column::Id)
        .limit(limit)
        .into_query()
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    let claimed = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::val(OutboxStatus::Sending.as_str()))
        .col_expr(outbox::Column::LeaseUntil, Expr::val(now + lease))
        .col_expr(outbox::Column::Attempts, Expr::col(outbox::Column::Attempts).add(1))
        .filter(outbox::Column::Id.in_subquery(due))
        .exec_with_returning(&*tx)
        .await?;
    tx.commit().await?;
    Ok(claimed)
}

/// The server accepted these messages, all of one claim (same lease).
/// Returns how many rows were still this claim's.
pub async fn mark_sent_many(
    db: &DatabaseConnection,
    ids: &[i64],
    lease_until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::val(OutboxStatus::Sent.as_str()))
        .col_expr(outbox::Column::SentAt, Expr::val(now))
        .col_expr(outbox::Column::LeaseUntil, Expr::val(Option::<DateTime<Utc>>::None))
        .col_expr(outbox::Column::LastError, Expr::val(Option::<String>::None))
        .filter(outbox::Column::Id.is_in(ids.iter().copied()))
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending))
        .filter(outbox::Column::LeaseUntil.eq(lease_until))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Nothing to send after all (unsubscribed, answered meanwhile, …).
pub async fn mark_skipped(db: &DatabaseConnection, claim: &outbox::Model, why: &str) -> Result<bool> {
    finish(db, claim, OutboxStatus::Skipped, Some(why), None).await
}

/// Puts failed emails back in the queue, due at once, with a fresh lifetime
/// and no attempts: of one event when `event_id` is given, else every one.
/// Returns how many.
pub async fn requeue_failed(conn: &impl ConnectionTrait, event_id: Option<Uuid>, now: DateTime<Utc>) -> Result<u64> {
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::val(OutboxStatus::Pending.as_str()))
        .col_expr(outbox::Column::DueAt, Expr::val(now))
        .col_expr(outbox::Column::CreatedAt, Expr::val(now))
        .col_expr(outbox::Column::Attempts, Expr::val(0))
        .filter(outbox::Column::Status.eq(OutboxStatus::Failed));
    if let Some(event_id) = event_id {
        update = update.filter(outbox::Column::EventId.eq(event_id));
    }
    Ok(update.exec(conn).await?.rows_affected)
}

/// A permanent failure (5xx): stop and show it to the organiser.
pub async fn mark_failed(db: &DatabaseConnection, claim: &outbox::Model, error: &str) -> Result<bool> {
    finish(db, claim, OutboxStatus::Failed, Some(error), None).await
}

/// A temporary failure: back to the queue, due again at `retry_at`.
pub async fn mark_retry(
    db: &DatabaseConnection,
    claim: &outbox::Model,
    error: &str,
    retry_at: DateTime<Utc>,
) -> Result<bool> {
    finish(db, claim, OutboxStatus::Pending, Some(error), Some(retry_at)).await
}

/// Returns a claimed email to the queue untried (the relay was away), with
/// the attempt its claim counted given back: waiting for the relay is not a
/// failure of this email.
pub async fn mark_waiting(
    db: &DatabaseConnection,
    claim: &outbox::Model,
    error: &str,
    retry_at: DateTime<Utc>,
) -> Result<bool> {
    let update = finishing(OutboxStatus::Pending, Some(error), Some(retry_at))
        .col_expr(outbox::Column::Attempts, Expr::col(outbox::Column::Attempts).sub(1));
    finish_with(db, claim, update).await
}

/// Records the outcome of a claim; `false` means the claim was no longer
/// ours (its lease ran out and the row went back to the queue), in which
/// case the row is left to whoever holds it now.
async fn finish(
    db: &DatabaseConnection,
    claim: &outbox::Model,
    status: OutboxStatus,
    error: Option<&str>,
    due_at: Option<DateTime<Utc>>,
) -> Result<bool> {
    finish_with(db, claim, finishing(status, error, due_at)).await
}

/// The update that ends a claim: its new status, the lease dropped, the
/// error kept (bounded), and a new due time if given.
fn finishing(status: OutboxStatus, error: Option<&str>, due_at: Option<DateTime<Utc>>) -> UpdateMany<outbox::Entity> {
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::val(status.as_str()))
        .col_expr(outbox::Column::LeaseUntil, Expr::val(Option::<DateTime<Utc>>::None))
        .col_expr(outbox::Column::LastError, Expr::val(error.map(|e| e.chars().take(1000).collect::<String>())));
    if let Some(due_at) = due_at {
        update = update.col_expr(outbox::Column::DueAt, Expr::val(due_at));
    }
    update
}

/// Applies `update` to the claim only if this process still holds it: the
/// lease it was given is its token. If the lease ran out and the row was
/// claimed again, the new holder decides.
async fn finish_with(
    db: &DatabaseConnection,
    claim: &outbox::Model,
    update: UpdateMany<outbox::Entity>,
) -> Result<bool> {
    let result = update
        .filter(outbox::Column::Id.eq(claim.id))
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending))
        .filter(outbox::Column::LeaseUntil.eq(claim.lease_until))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// This process's standing as a claimant of outbox rows (a dispatcher),
/// held for as long as it may claim. On SQLite it is a shared lock on a file
/// beside the database (`<database>-dispatchers.lock`), which the operating
/// system lets go of when the process ends, however it ends: a process that
/// can take the lock exclusively knows that no other claimant is alive.
#[derive(Debug)]
pub struct Claimant {
    _lock: Option<std::fs::File>,
}

/// Makes this process a claimant (see [`Claimant`]). On SQLite, if no other
/// claimant is alive, rows still `sending` were claimed by a process that
/// has died (a crash, SIGKILL, a stop past the grace period): they go back
/// to the queue at once rather than after the rest of their lease, at most
/// `dispatch_lease_seconds`. Returns the claimant and how many came back.
///
/// On PostgreSQL, claimants may run on other machines, and nothing here can
/// tell a dead one from a slow one: leases alone return their rows.
///
/// # Errors
/// When the database cannot be read or written, or the lock file cannot be
/// opened (it sits beside the database, where SQLite keeps its `-wal` and
/// `-shm` files too).
pub async fn become_claimant(db: &Db) -> Result<(Claimant, u64)> {
    use std::fs::{OpenOptions, TryLockError};

    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return Ok((Claimant { _lock: None }, 0));
    }
    let main = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT file FROM pragma_database_list WHERE name = 'main'",
        ))
        .await?
        .map(|row| row.try_get::<String>("", "file"))
        .transpose()?
        .unwrap_or_default();
    if main.is_empty() {
        // An in-memory database: no other process can see it.
        return Ok((Claimant { _lock: None }, return_abandoned_claims(db).await?));
    }
    let path = std::path::PathBuf::from(format!("{main}-dispatchers.lock"));
    let open_path = path.clone();
    let (lock, alone) = lock_file(&path, move || {
        let file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&open_path)?;
        match file.try_lock() {
            Ok(()) => Ok((file, true)),
            Err(TryLockError::WouldBlock) => Ok((file, false)),
            Err(TryLockError::Error(err)) => Err(err),
        }
    })
    .await?;
    // Holding the lock exclusively, no other process is claiming or can
    // start to: every `sending` row is a dead process's.
    let returned = if alone { return_abandoned_claims(db).await? } else { 0 };
    // Then share it with claimants to come. Between unlock and lock_shared
    // another newcomer may take it exclusively and return what is
    // `sending`: nothing of ours yet, we claim only once this returns.
    let lock = lock_file(&path, move || {
        if alone {
            lock.unlock()?;
        }
        lock.lock_shared()?;
        Ok(lock)
    })
    .await?;
    Ok((Claimant { _lock: Some(lock) }, returned))
}

/// Runs a file-locking step, which may wait for another process, off the
/// async threads.
async fn lock_file<T: Send + 'static>(
    path: &std::path::Path,
    step: impl FnOnce() -> std::io::Result<T> + Send + 'static,
) -> Result<T> {
    let outcome = tokio::task::spawn_blocking(step).await.context("the file-locking task failed")?;
    Ok(outcome.with_context(|| format!("cannot lock {}", path.display()))?)
}

/// Every row `sending` back to the queue (only when no claimant is alive).
async fn return_abandoned_claims(db: &DatabaseConnection) -> Result<u64> {
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::val(OutboxStatus::Pending.as_str()))
        .col_expr(outbox::Column::LeaseUntil, Expr::val(Option::<DateTime<Utc>>::None))
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Returns rows whose lease ran out (their process died mid-send) to the
/// queue. The message may have left before the crash: at most the messages
/// in flight can go out twice, never none.
pub async fn reclaim_expired_leases(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64> {
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::val(OutboxStatus::Pending.as_str()))
        .col_expr(outbox::Column::LeaseUntil, Expr::val(Option::<DateTime<Utc>>::None))
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending))
        .filter(outbox::Column::LeaseUntil.lt(now))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Every email queued for these guests, oldest first, for the organiser's
/// view of delivery.
/// The emails of these guests (a page of them: one parameter each), oldest first.
pub async fn for_guests(db: &DatabaseConnection, guest_ids: &[Uuid]) -> Result<Vec<outbox::Model>> {
    if guest_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(outbox::Entity::find()
        .filter(outbox::Column::GuestId.is_in(guest_ids.iter().copied()))
        .order_by_asc(outbox::Column::Id)
        .all(db)
        .await?)
}

/// How many emails of the event failed.
pub async fn count_failed(db: &DatabaseConnection, event_id: Uuid) -> Result<u64> {
    Ok(outbox::Entity::find()
        .filter(outbox::Column::EventId.eq(event_id))
        .filter(outbox::Column::Status.eq(OutboxStatus::Failed))
        .count(db)
        .await?)
}

/// When each email of these kinds was sent for the event (the nudges, for
/// the results chart), oldest first.
pub async fn sent_times(db: &DatabaseConnection, event_id: Uuid, kinds: &[MailKind]) -> Result<Vec<DateTime<Utc>>> {
    let times: Vec<Option<DateTime<Utc>>> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::SentAt)
        .filter(outbox::Column::EventId.eq(event_id))
        .filter(outbox::Column::Status.eq(OutboxStatus::Sent))
        .filter(outbox::Column::Kind.is_in(kinds.iter().map(|k| k.as_str())))
        .order_by_asc(outbox::Column::SentAt)
        .into_tuple()
        .all(db)
        .await?;
    Ok(times.into_iter().flatten().collect())
}

/// Queues an organiser's sign-in link, in her language.
pub async fn enqueue_login_link(
    conn: &impl ConnectionTrait,
    organiser: &super::organisers::Organiser,
    link_id: Uuid,
    language: crate::domain::event::Language,
    now: DateTime<Utc>,
) -> Result<u64> {
    queue_once(
        conn,
        Row {
            event_id: None,
            organiser_id: organiser.id,
            subject_id: link_id,
            kind: MailKind::LoginLink,
            slot: OutboxSlot::Once.key(),
            recipient: &organiser.email.to_string(),
            payload: serde_json::json!({ "lang": language.as_str() }).to_string(),
            due_at: now,
        },
        now,
    )
    .await
}

/// The summary of who is expected, for one organiser of the event: one
/// per organiser and event (the slot names the event), whoever queues it.
pub async fn enqueue_venue_summary(
    conn: &impl ConnectionTrait,
    event: &Event,
    organiser: &super::organisers::Organiser,
    now: DateTime<Utc>,
) -> Result<u64> {
    queue_once(
        conn,
        Row {
            event_id: Some(event.id),
            // Hers: she is whom it greets, and what its key is unique within.
            organiser_id: organiser.id,
            subject_id: organiser.id,
            kind: MailKind::VenueSummary,
            slot: OutboxSlot::Plan(format!("venue_summary:{}", event.id)).key(),
            recipient: &organiser.email.to_string(),
            payload: "{}".to_owned(),
            due_at: now,
        },
        now,
    )
    .await
}

/// The same summary for the venue's contact, in the event's language, from
/// the owner's name: one per event (the event is its subject).
pub async fn enqueue_venue_contact_summary(
    conn: &impl ConnectionTrait,
    event: &Event,
    contact: &crate::domain::email_address::EmailAddress,
    now: DateTime<Utc>,
) -> Result<u64> {
    queue_once(
        conn,
        Row {
            event_id: Some(event.id),
            organiser_id: event.organiser_id,
            subject_id: event.id,
            kind: MailKind::VenueSummary,
            slot: OutboxSlot::Plan("venue_summary:venue".to_owned()).key(),
            recipient: &contact.to_string(),
            payload: serde_json::json!({ "venue": true }).to_string(),
            due_at: now,
        },
        now,
    )
    .await
}

/// Invites someone to an event's or a series' team (`event_id` none), in
/// `language`: one email per invitation asked (the slot is the moment),
/// from the owner who asked.
pub async fn enqueue_team_invitation(
    conn: &impl ConnectionTrait,
    event_id: Option<Uuid>,
    language: Language,
    member: &super::team::TeamMember,
    now: DateTime<Utc>,
) -> Result<u64> {
    queue_once(
        conn,
        Row {
            event_id,
            organiser_id: member.invited_by,
            subject_id: member.id,
            kind: MailKind::TeamInvitation,
            slot: OutboxSlot::Moment(now).key(),
            recipient: &member.email.to_string(),
            payload: serde_json::json!({ "lang": language.as_str() }).to_string(),
            due_at: now,
        },
        now,
    )
    .await
}

/// Emails not yet sent (pending, being sent, or failed), counted by kind and
/// status: what `/metrics` shows as the queue. Sent rows, the history, are
/// left out so the count costs what is waiting, not what was ever sent.
pub async fn waiting_by_kind_and_status(db: &DatabaseConnection) -> Result<Vec<(String, String, i64)>> {
    Ok(outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Kind)
        .column(outbox::Column::Status)
        .column_as(Expr::col(outbox::Column::Id).count(), "rows")
        .filter(outbox::Column::Status.is_in([OutboxStatus::Pending, OutboxStatus::Sending, OutboxStatus::Failed]))
        .group_by(outbox::Column::Kind)
        .group_by(outbox::Column::Status)
        .into_tuple()
        .all(db)
        .await?)
}

/// A test message to an organiser, asked for from the mail health check
/// (`domain`: the sender domain it shows). One per asking: the slot is the moment.
pub async fn enqueue_mail_test(
    conn: &impl ConnectionTrait,
    organiser_id: Uuid,
    recipient: &str,
    language: &str,
    domain: &str,
    now: DateTime<Utc>,
) -> Result<u64> {
    queue_once(
        conn,
        Row {
            event_id: None,
            organiser_id,
            subject_id: organiser_id,
            kind: MailKind::MailTest,
            slot: OutboxSlot::Moment(now).key(),
            recipient,
            payload: serde_json::json!({ "lang": language, "domain": domain }).to_string(),
            due_at: now,
        },
        now,
    )
    .await
}

/// Tells an organiser that one of her webhook endpoints was disabled
/// (`reason`: `gone` or `failing`), in the language she chose for it. One
/// email per disabling: the slot is the moment.
pub async fn enqueue_webhook_disabled(
    conn: &impl ConnectionTrait,
    endpoint: &super::entities::webhook_endpoints::Model,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<u64> {
    let organiser = super::organisers::find_many(conn, [endpoint.organiser_id]).await?.pop();
    let Some(organiser) = organiser else {
        return Ok(0);
    };
    queue_once(
        conn,
        Row {
            event_id: None,
            organiser_id: organiser.id,
            subject_id: endpoint.id,
            kind: MailKind::WebhookDisabled,
            slot: OutboxSlot::Moment(now).key(),
            recipient: &organiser.email.to_string(),
            payload: serde_json::json!({ "lang": endpoint.language, "url": endpoint.url, "reason": reason })
                .to_string(),
            due_at: now,
        },
        now,
    )
    .await
}

/// One email to queue about an organiser, her event or someone she asked
/// about, with no guest row behind it.
struct Row<'a> {
    event_id: Option<Uuid>,
    organiser_id: Uuid,
    subject_id: Uuid,
    kind: MailKind,
    slot: String,
    recipient: &'a str,
    payload: String,
    due_at: DateTime<Utc>,
}

/// Queues `row` unless the same email (subject, kind, slot) already is:
/// what keeps an email from being queued twice.
async fn queue_once(conn: &impl ConnectionTrait, row: Row<'_>, now: DateTime<Utc>) -> Result<u64> {
    Ok(outbox::Entity::insert(outbox::ActiveModel {
        event_id: Set(row.event_id),
        guest_id: Set(None),
        organiser_id: Set(row.organiser_id),
        subject_id: Set(row.subject_id),
        kind: Set(row.kind.as_str().to_owned()),
        slot: Set(row.slot),
        recipient: Set(row.recipient.to_owned()),
        payload: Set(row.payload),
        due_at: Set(row.due_at),
        status: Set(OutboxStatus::Pending),
        attempts: Set(0),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([outbox::Column::SubjectId, outbox::Column::Kind, outbox::Column::Slot])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?)
}
