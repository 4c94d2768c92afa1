//! Inbound messages: stored first (once per Message-ID), then claimed with
//! a lease and processed, as the outbox is, so a crash loses nothing and
//! two workers never process one message twice at once. Those held for the
//! organiser's review stay until she applies or discards them.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};
use uuid::Uuid;

use super::entities::events;
use super::entities::inbound_messages::{self as inbound, InboundStatus};
use super::error::{Missing, Result, StorageError};
use super::{Db, begin_write};

pub use inbound::Model as InboundRow;

/// A message as a door received it.
pub struct NewInbound<'a> {
    /// Its Message-ID, or a hash of it when it has none: the same message
    /// delivered twice has the same key.
    pub key: &'a str,
    /// `http`, `imap` or `smtp`.
    pub door: &'a str,
    /// The address it was delivered to, when the door knows the envelope.
    pub recipient: Option<&'a str>,
    pub raw: &'a [u8],
}

/// Stores a message to process now; `None` if one with the same key was
/// stored before (nothing to do: it is, or was, processed).
pub async fn store(conn: &impl ConnectionTrait, new: &NewInbound<'_>, now: DateTime<Utc>) -> Result<Option<Uuid>> {
    let id = Uuid::now_v7();
    let insert = Query::insert()
        .into_table(inbound::Entity)
        .columns([
            inbound::Column::Id,
            inbound::Column::MessageKey,
            inbound::Column::Door,
            inbound::Column::Recipient,
            inbound::Column::Raw,
            inbound::Column::Status,
            inbound::Column::Attempts,
            inbound::Column::DueAt,
            inbound::Column::ReceivedAt,
        ])
        .values_panic([
            id.into(),
            new.key.into(),
            new.door.into(),
            new.recipient.map(str::to_owned).into(),
            new.raw.to_vec().into(),
            InboundStatus::Pending.as_str().into(),
            0.into(),
            now.into(),
            now.into(),
        ])
        .on_conflict(OnConflict::column(inbound::Column::MessageKey).do_nothing().to_owned())
        .to_owned();
    let inserted = conn.execute(&insert).await?.rows_affected();
    Ok((inserted == 1).then_some(id))
}

/// Claims up to `limit` due messages with a lease, committed at once.
pub async fn claim_due(db: &Db, now: DateTime<Utc>, lease: Duration, limit: u64) -> Result<Vec<InboundRow>> {
    let tx = begin_write(db).await?;
    inbound::Entity::update_many()
        .col_expr(inbound::Column::Status, Expr::val(InboundStatus::Pending.as_str()))
        .col_expr(inbound::Column::LeaseUntil, Expr::val(Option::<DateTime<Utc>>::None))
        .filter(inbound::Column::Status.eq(InboundStatus::Processing))
        .filter(inbound::Column::LeaseUntil.lt(now))
        .exec(&*tx)
        .await?;
    let due = inbound::Entity::find()
        .select_only()
        .column(inbound::Column::Id)
        .filter(inbound::Column::Status.eq(InboundStatus::Pending))
        .filter(inbound::Column::DueAt.lte(now))
        .order_by_asc(inbound::Column::DueAt)
        .limit(limit)
        .into_query()
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    let claimed = inbound::Entity::update_many()
        .col_expr(inbound::Column::Status, Expr::val(InboundStatus::Processing.as_str()))
        .col_expr(inbound::Column::LeaseUntil, Expr::val(now + lease))
        .col_expr(inbound::Column::Attempts, Expr::col(inbound::Column::Attempts).add(1))
        .filter(inbound::Column::Id.in_subquery(due))
        .exec_with_returning(&*tx)
        .await?;
    tx.commit().await?;
    Ok(claimed)
}

/// What processing concluded.
#[derive(Debug, Clone)]
pub struct Conclusion {
    /// `Done` or `Held`.
    pub status: InboundStatus,
    pub outcome: String,
    pub event_id: Option<Uuid>,
    pub guest_id: Option<Uuid>,
    /// What the organiser is shown (JSON).
    pub detail: Option<String>,
}

/// Records the conclusion if the claim is still this worker's.
pub async fn conclude(
    conn: &impl ConnectionTrait,
    claim: &InboundRow,
    conclusion: &Conclusion,
    now: DateTime<Utc>,
) -> Result<bool> {
    let result = inbound::Entity::update_many()
        .col_expr(inbound::Column::Status, Expr::val(conclusion.status.as_str()))
        .col_expr(inbound::Column::Outcome, Expr::val(conclusion.outcome.clone()))
        .col_expr(inbound::Column::EventId, Expr::val(conclusion.event_id))
        .col_expr(inbound::Column::GuestId, Expr::val(conclusion.guest_id))
        .col_expr(inbound::Column::Detail, Expr::val(conclusion.detail.clone()))
        .col_expr(inbound::Column::LeaseUntil, Expr::val(Option::<DateTime<Utc>>::None))
        .col_expr(inbound::Column::LastError, Expr::val(Option::<String>::None))
        .col_expr(inbound::Column::ProcessedAt, Expr::val(now))
        .filter(inbound::Column::Id.eq(claim.id))
        .filter(inbound::Column::Status.eq(InboundStatus::Processing))
        .filter(inbound::Column::LeaseUntil.eq(claim.lease_until))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Puts a message that failed back in the queue, to be tried at `due_at`.
pub async fn retry_later(
    conn: &impl ConnectionTrait,
    claim: &InboundRow,
    error: &str,
    due_at: DateTime<Utc>,
) -> Result<bool> {
    let result = inbound::Entity::update_many()
        .col_expr(inbound::Column::Status, Expr::val(InboundStatus::Pending.as_str()))
        .col_expr(inbound::Column::LastError, Expr::val(error.to_owned()))
        .col_expr(inbound::Column::DueAt, Expr::val(due_at))
        .col_expr(inbound::Column::LeaseUntil, Expr::val(Option::<DateTime<Utc>>::None))
        .filter(inbound::Column::Id.eq(claim.id))
        .filter(inbound::Column::Status.eq(InboundStatus::Processing))
        .filter(inbound::Column::LeaseUntil.eq(claim.lease_until))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

fn owned_events(organiser_id: Uuid) -> sea_orm::sea_query::SelectStatement {
    events::Entity::find()
        .select_only()
        .column(events::Column::Id)
        .filter(events::Column::OrganiserId.eq(organiser_id))
        .into_query()
}

/// The replies held for the organiser's review, on her events, oldest first.
pub async fn held(conn: &impl ConnectionTrait, organiser_id: Uuid) -> Result<Vec<InboundRow>> {
    Ok(inbound::Entity::find()
        .filter(inbound::Column::Status.eq(InboundStatus::Held))
        .filter(inbound::Column::EventId.in_subquery(owned_events(organiser_id)))
        .order_by_asc(inbound::Column::ReceivedAt)
        .all(conn)
        .await?)
}

/// One held reply on her events.
pub async fn find_held(conn: &impl ConnectionTrait, organiser_id: Uuid, id: Uuid) -> Result<InboundRow> {
    inbound::Entity::find_by_id(id)
        .filter(inbound::Column::Status.eq(InboundStatus::Held))
        .filter(inbound::Column::EventId.in_subquery(owned_events(organiser_id)))
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::InboundMessage))
}

/// Closes a held reply as `status` (applied or discarded); `false` if it
/// was not held any more (closed meanwhile).
pub async fn close_held(
    conn: &impl ConnectionTrait,
    id: Uuid,
    status: InboundStatus,
    now: DateTime<Utc>,
) -> Result<bool> {
    let result = inbound::Entity::update_many()
        .col_expr(inbound::Column::Status, Expr::val(status.as_str()))
        .col_expr(inbound::Column::ProcessedAt, Expr::val(now))
        .filter(inbound::Column::Id.eq(id))
        .filter(inbound::Column::Status.eq(InboundStatus::Held))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// A message by id (for tests and the worker's logs).
pub async fn find(conn: &impl ConnectionTrait, id: Uuid) -> Result<InboundRow> {
    inbound::Entity::find_by_id(id).one(conn).await?.ok_or(StorageError::NotFound(Missing::InboundMessage))
}

impl InboundStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Processing => "processing",
            Self::Done => "done",
            Self::Held => "held",
            Self::Applied => "applied",
            Self::Discarded => "discarded",
        }
    }
}
