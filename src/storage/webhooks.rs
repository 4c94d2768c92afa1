//! Webhook endpoints and their deliveries: registering, queueing one row per
//! (happening, endpoint) inside the business transaction, and claiming and
//! recording attempts for the dispatcher, with leases as the outbox does.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, LockBehavior, LockType, OnConflict, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use uuid::Uuid;

use super::entities::webhook_deliveries::{self as deliveries, DeliveryStatus};
use super::entities::{events, webhook_endpoints as endpoints};
use super::error::{Missing, Result, StorageError};
use super::{Db, begin_write};
use crate::domain::webhook::{WebhookType, parse_stored_types, stored_types};

/// An endpoint as its organiser sees it (the secret only once, at creation).
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub id: Uuid,
    pub organiser_id: Uuid,
    pub url: String,
    pub types: Vec<WebhookType>,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub failing_since: Option<DateTime<Utc>>,
    pub language: String,
    pub created_at: DateTime<Utc>,
}

impl From<endpoints::Model> for Endpoint {
    fn from(m: endpoints::Model) -> Self {
        Self {
            id: m.id,
            organiser_id: m.organiser_id,
            url: m.url,
            types: parse_stored_types(&m.event_types),
            enabled: m.enabled,
            disabled_reason: m.disabled_reason,
            failing_since: m.failing_since,
            language: m.language,
            created_at: m.created_at,
        }
    }
}

pub struct NewEndpoint<'a> {
    pub organiser_id: Uuid,
    pub url: &'a str,
    pub types: &'a [WebhookType],
    pub secret: &'a str,
    pub language: &'a str,
}

pub async fn create(conn: &impl ConnectionTrait, new: &NewEndpoint<'_>, now: DateTime<Utc>) -> Result<Endpoint> {
    let model = endpoints::ActiveModel {
        id: Set(Uuid::new_v4()),
        organiser_id: Set(new.organiser_id),
        url: Set(new.url.to_owned()),
        event_types: Set(stored_types(new.types)),
        secret: Set(new.secret.to_owned()),
        enabled: Set(true),
        disabled_reason: Set(None),
        failing_since: Set(None),
        language: Set(new.language.to_owned()),
        created_at: Set(now),
    };
    Ok(endpoints::Entity::insert(model).exec_with_returning(conn).await?.into())
}

/// Her endpoints, oldest first.
pub async fn list(conn: &impl ConnectionTrait, organiser_id: Uuid) -> Result<Vec<Endpoint>> {
    let rows = endpoints::Entity::find()
        .filter(endpoints::Column::OrganiserId.eq(organiser_id))
        .order_by_asc(endpoints::Column::CreatedAt)
        .order_by_asc(endpoints::Column::Id)
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(Endpoint::from).collect())
}

/// One of her endpoints, with its secret; someone else's is not found.
pub async fn find(conn: &impl ConnectionTrait, organiser_id: Uuid, id: Uuid) -> Result<endpoints::Model> {
    endpoints::Entity::find_by_id(id)
        .filter(endpoints::Column::OrganiserId.eq(organiser_id))
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::WebhookEndpoint))
}

/// What may change on an endpoint; `None` keeps the current value.
#[derive(Debug, Default)]
pub struct EndpointChange {
    pub url: Option<String>,
    pub types: Option<Vec<WebhookType>>,
    pub enabled: Option<bool>,
}

pub async fn update(
    conn: &impl ConnectionTrait,
    organiser_id: Uuid,
    id: Uuid,
    change: EndpointChange,
) -> Result<Endpoint> {
    let current = find(conn, organiser_id, id).await?;
    let mut model: endpoints::ActiveModel = current.into();
    if let Some(url) = change.url {
        model.url = Set(url);
    }
    if let Some(types) = change.types {
        model.event_types = Set(stored_types(&types));
    }
    if let Some(enabled) = change.enabled {
        model.enabled = Set(enabled);
        model.disabled_reason = Set((!enabled).then(|| "organiser".to_owned()));
        // Enabled again: her server gets a fresh day before it is disabled.
        model.failing_since = Set(None);
    }
    Ok(endpoints::Entity::update(model).exec(conn).await?.into())
}

pub async fn delete(conn: &impl ConnectionTrait, organiser_id: Uuid, id: Uuid) -> Result<()> {
    let result = endpoints::Entity::delete_many()
        .filter(endpoints::Column::Id.eq(id))
        .filter(endpoints::Column::OrganiserId.eq(organiser_id))
        .exec(conn)
        .await?;
    if result.rows_affected == 0 {
        return Err(StorageError::NotFound(Missing::WebhookEndpoint));
    }
    Ok(())
}

/// Whose endpoints hear of a happening.
#[derive(Debug, Clone, Copy)]
pub enum Owner {
    Organiser(Uuid),
    /// The organiser of this event, looked up inside the same statement.
    OfEvent(Uuid),
}

/// One happening to tell the endpoints that listen for it.
#[derive(Debug, Clone)]
pub struct Queued {
    pub message_id: Uuid,
    pub kind: WebhookType,
    pub owner: Owner,
    pub event_id: Option<Uuid>,
    pub guest_id: Option<Uuid>,
    pub data: serde_json::Value,
    pub occurred_at: DateTime<Utc>,
}

/// Queues `queued` for every enabled endpoint of its owner that listens for
/// its type, in one `INSERT … SELECT`: nothing is read first, so with no
/// endpoint it costs one statement that inserts nothing.
pub async fn enqueue(conn: &impl ConnectionTrait, queued: &Queued) -> Result<u64> {
    let mut select = Query::select();
    select
        .expr(Expr::val(queued.message_id))
        .column(endpoints::Column::Id)
        .column(endpoints::Column::OrganiserId)
        .expr(Expr::val(queued.kind.as_str()))
        .expr(Expr::val(queued.event_id))
        .expr(Expr::val(queued.guest_id))
        .expr(Expr::val(queued.data.to_string()))
        .expr(Expr::val(queued.occurred_at))
        .expr(Expr::val(DeliveryStatus::Pending.as_str()))
        .expr(Expr::val(0))
        .expr(Expr::val(queued.occurred_at))
        .expr(Expr::val(queued.occurred_at))
        .from(endpoints::Entity)
        .and_where(endpoints::Column::Enabled.eq(true))
        .and_where(endpoints::Column::EventTypes.like(listening_to(queued.kind)));
    match queued.owner {
        Owner::Organiser(id) => {
            select.and_where(endpoints::Column::OrganiserId.eq(id));
        }
        Owner::OfEvent(event_id) => {
            let organiser = Query::select()
                .column(events::Column::OrganiserId)
                .from(events::Entity)
                .and_where(events::Column::Id.eq(event_id))
                .to_owned();
            select.and_where(endpoints::Column::OrganiserId.in_subquery(organiser));
        }
    }
    insert_select(conn, select).await
}

/// Whether an enabled endpoint of the event's organiser listens to `kind`:
/// an expression for a query that has the `events` table in scope, so a
/// hot path learns it with the read it makes anyway.
pub(crate) fn heard_by_events_organiser(kind: WebhookType) -> Expr {
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(endpoints::Entity)
            .and_where(
                Expr::col((endpoints::Entity, endpoints::Column::OrganiserId))
                    .equals((events::Entity, events::Column::OrganiserId)),
            )
            .and_where(Expr::col((endpoints::Entity, endpoints::Column::Enabled)).eq(true))
            .and_where(Expr::col((endpoints::Entity, endpoints::Column::EventTypes)).like(listening_to(kind)))
            .to_owned(),
    )
}

/// The pattern of the stored types of an endpoint that listens to `kind`.
fn listening_to(kind: WebhookType) -> String {
    format!("%,{},%", kind.as_str())
}

/// The test event, for one endpoint whatever it listens to.
pub async fn enqueue_test(
    conn: &impl ConnectionTrait,
    endpoint: &endpoints::Model,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let message_id = Uuid::new_v4();
    let mut select = Query::select();
    select
        .expr(Expr::val(message_id))
        .column(endpoints::Column::Id)
        .column(endpoints::Column::OrganiserId)
        .expr(Expr::val(WebhookType::Test.as_str()))
        .expr(Expr::val(Option::<Uuid>::None))
        .expr(Expr::val(Option::<Uuid>::None))
        .expr(Expr::val("{}"))
        .expr(Expr::val(now))
        .expr(Expr::val(DeliveryStatus::Pending.as_str()))
        .expr(Expr::val(0))
        .expr(Expr::val(now))
        .expr(Expr::val(now))
        .from(endpoints::Entity)
        .and_where(endpoints::Column::Id.eq(endpoint.id));
    insert_select(conn, select).await?;
    Ok(message_id)
}

async fn insert_select(conn: &impl ConnectionTrait, select: sea_orm::sea_query::SelectStatement) -> Result<u64> {
    let insert = Query::insert()
        .into_table(deliveries::Entity)
        .columns([
            deliveries::Column::MessageId,
            deliveries::Column::EndpointId,
            deliveries::Column::OrganiserId,
            deliveries::Column::EventType,
            deliveries::Column::EventId,
            deliveries::Column::GuestId,
            deliveries::Column::Data,
            deliveries::Column::OccurredAt,
            deliveries::Column::Status,
            deliveries::Column::Attempts,
            deliveries::Column::DueAt,
            deliveries::Column::CreatedAt,
        ])
        .select_from(select)
        .map_err(|e| anyhow::anyhow!("cannot build the webhook insert: {e}"))?
        .on_conflict(
            OnConflict::columns([deliveries::Column::MessageId, deliveries::Column::EndpointId])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    Ok(conn.execute(&insert).await?.rows_affected())
}

/// Claims up to `limit` due deliveries with a lease and commits at once, so
/// the HTTP call happens outside any transaction (`FOR UPDATE SKIP LOCKED`
/// on PostgreSQL; `BEGIN IMMEDIATE` makes it atomic on SQLite).
pub async fn claim_due(db: &Db, now: DateTime<Utc>, lease: Duration, limit: u64) -> Result<Vec<deliveries::Model>> {
    let tx = begin_write(db).await?;
    let due = deliveries::Entity::find()
        .select_only()
        .column(deliveries::Column::Id)
        .filter(deliveries::Column::Status.eq(DeliveryStatus::Pending))
        .filter(deliveries::Column::DueAt.lte(now))
        .order_by_asc(deliveries::Column::DueAt)
        .order_by_asc(deliveries::Column::Id)
        .limit(limit)
        .into_query()
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    let claimed = deliveries::Entity::update_many()
        .col_expr(deliveries::Column::Status, Expr::val(DeliveryStatus::Sending.as_str()))
        .col_expr(deliveries::Column::LeaseUntil, Expr::val(now + lease))
        .col_expr(deliveries::Column::Attempts, Expr::col(deliveries::Column::Attempts).add(1))
        .filter(deliveries::Column::Id.in_subquery(due))
        .exec_with_returning(&*tx)
        .await?;
    tx.commit().await?;
    Ok(claimed)
}

/// Returns deliveries whose lease ran out (their process died mid-send):
/// at-least-once, so the receiver may see a message twice, never none.
pub async fn reclaim_expired_leases(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    let result = deliveries::Entity::update_many()
        .col_expr(deliveries::Column::Status, Expr::val(DeliveryStatus::Pending.as_str()))
        .col_expr(deliveries::Column::LeaseUntil, Expr::val(Option::<DateTime<Utc>>::None))
        .filter(deliveries::Column::Status.eq(DeliveryStatus::Sending))
        .filter(deliveries::Column::LeaseUntil.lt(now))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// Keeps the body built for the first attempt, so retries sign the same bytes.
pub async fn keep_payload(db: &DatabaseConnection, id: i64, payload: &str) -> Result<()> {
    deliveries::Entity::update_many()
        .col_expr(deliveries::Column::Payload, Expr::val(payload))
        .filter(deliveries::Column::Id.eq(id))
        .filter(deliveries::Column::Payload.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// What one attempt came to.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub status: DeliveryStatus,
    /// When it is due again, for a retry.
    pub retry_at: Option<DateTime<Utc>>,
    pub response_status: Option<i32>,
    pub response_body: Option<String>,
    pub duration_ms: Option<i32>,
    pub error: Option<String>,
    pub at: DateTime<Utc>,
}

/// Records an attempt if the claim is still this process's (its lease is
/// its token); `false` otherwise, and the row is left to its new holder.
pub async fn record(conn: &impl ConnectionTrait, claim: &deliveries::Model, attempt: &Attempt) -> Result<bool> {
    let mut update = deliveries::Entity::update_many()
        .col_expr(deliveries::Column::Status, Expr::val(attempt.status.as_str()))
        .col_expr(deliveries::Column::LeaseUntil, Expr::val(Option::<DateTime<Utc>>::None))
        .col_expr(deliveries::Column::ResponseStatus, Expr::val(attempt.response_status))
        .col_expr(deliveries::Column::ResponseBody, Expr::val(attempt.response_body.clone()))
        .col_expr(deliveries::Column::DurationMs, Expr::val(attempt.duration_ms))
        .col_expr(
            deliveries::Column::LastError,
            Expr::val(attempt.error.as_ref().map(|e| e.chars().take(1000).collect::<String>())),
        )
        .col_expr(deliveries::Column::LastAttemptAt, Expr::val(attempt.at));
    if let Some(retry_at) = attempt.retry_at {
        update = update.col_expr(deliveries::Column::DueAt, Expr::val(retry_at));
    }
    let result = update
        .filter(deliveries::Column::Id.eq(claim.id))
        .filter(deliveries::Column::Status.eq(DeliveryStatus::Sending))
        .filter(deliveries::Column::LeaseUntil.eq(claim.lease_until))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// The endpoint answered: its failing day starts over. Returns nothing to do
/// when it was not failing (one cheap conditional update).
pub async fn note_success(conn: &impl ConnectionTrait, endpoint_id: Uuid) -> Result<()> {
    endpoints::Entity::update_many()
        .col_expr(endpoints::Column::FailingSince, Expr::val(Option::<DateTime<Utc>>::None))
        .filter(endpoints::Column::Id.eq(endpoint_id))
        .filter(endpoints::Column::FailingSince.is_not_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// The endpoint failed at `now`: starts its failing day if none runs.
/// Returns when the failures began.
pub async fn note_failure(conn: &impl ConnectionTrait, endpoint_id: Uuid, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    endpoints::Entity::update_many()
        .col_expr(endpoints::Column::FailingSince, Expr::val(now))
        .filter(endpoints::Column::Id.eq(endpoint_id))
        .filter(endpoints::Column::FailingSince.is_null())
        .exec(conn)
        .await?;
    let endpoint = endpoints::Entity::find_by_id(endpoint_id)
        .one(conn)
        .await?
        .ok_or(StorageError::NotFound(Missing::WebhookEndpoint))?;
    Ok(endpoint.failing_since.unwrap_or(now))
}

/// Disables an endpoint still enabled, for `reason` (`gone`, `failing`);
/// `true` if this call did it (so the organiser is told once).
pub async fn disable(conn: &impl ConnectionTrait, endpoint_id: Uuid, reason: &str) -> Result<bool> {
    let result = endpoints::Entity::update_many()
        .col_expr(endpoints::Column::Enabled, Expr::val(false))
        .col_expr(endpoints::Column::DisabledReason, Expr::val(reason))
        .filter(endpoints::Column::Id.eq(endpoint_id))
        .filter(endpoints::Column::Enabled.eq(true))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

pub async fn endpoints_by_id(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<endpoints::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(endpoints::Entity::find().filter(endpoints::Column::Id.is_in(ids.iter().copied())).all(conn).await?)
}

/// An endpoint's log since `since`, newest first.
pub async fn log(
    conn: &impl ConnectionTrait,
    endpoint_id: Uuid,
    since: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<deliveries::Model>> {
    Ok(deliveries::Entity::find()
        .filter(deliveries::Column::EndpointId.eq(endpoint_id))
        .filter(deliveries::Column::CreatedAt.gte(since))
        .order_by_desc(deliveries::Column::CreatedAt)
        .order_by_desc(deliveries::Column::Id)
        .limit(limit)
        .all(conn)
        .await?)
}

/// Puts a finished delivery back in the queue, due at once, with a fresh
/// set of attempts ("send again"). Same message id and body: a receiver
/// that saw it already recognises it.
pub async fn resend(
    conn: &impl ConnectionTrait,
    endpoint_id: Uuid,
    message_id: Uuid,
    now: DateTime<Utc>,
) -> Result<deliveries::Model> {
    let updated = deliveries::Entity::update_many()
        .col_expr(deliveries::Column::Status, Expr::val(DeliveryStatus::Pending.as_str()))
        .col_expr(deliveries::Column::DueAt, Expr::val(now))
        .col_expr(deliveries::Column::Attempts, Expr::val(0))
        .filter(deliveries::Column::EndpointId.eq(endpoint_id))
        .filter(deliveries::Column::MessageId.eq(message_id))
        .filter(deliveries::Column::Status.ne(DeliveryStatus::Sending))
        .exec_with_returning(conn)
        .await?;
    updated.into_iter().next().ok_or(StorageError::NotFound(Missing::WebhookDelivery))
}

/// The log is kept 30 days (the retention the issue sets): older rows go.
pub async fn purge_before(conn: &impl ConnectionTrait, cutoff: DateTime<Utc>) -> Result<u64> {
    let result = deliveries::Entity::delete_many()
        .filter(deliveries::Column::CreatedAt.lt(cutoff))
        .filter(deliveries::Column::Status.is_in([
            DeliveryStatus::Delivered,
            DeliveryStatus::Failed,
            DeliveryStatus::Skipped,
        ]))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// Erasing someone: the deliveries about her (by guest, or naming her
/// address, as an unsubscribe does) lose their payloads and what the
/// receiver answered, which may quote them; the rows stay in the log.
pub async fn forget(conn: &impl ConnectionTrait, organiser_id: Uuid, guest_ids: &[Uuid], email: &str) -> Result<u64> {
    let quoted = format!("%{}%", serde_json::Value::from(email));
    let naming_her = deliveries::Column::Data
        .like(quoted.clone())
        .or(deliveries::Column::Payload.like(quoted.clone()))
        .or(deliveries::Column::ResponseBody.like(format!("%{email}%")));
    let result = deliveries::Entity::update_many()
        .col_expr(deliveries::Column::Payload, Expr::val(Option::<String>::None))
        .col_expr(deliveries::Column::Data, Expr::val("{}"))
        .col_expr(deliveries::Column::ResponseBody, Expr::val(Option::<String>::None))
        .col_expr(
            deliveries::Column::Status,
            Expr::case(deliveries::Column::Status.eq(DeliveryStatus::Pending), DeliveryStatus::Skipped.as_str())
                .finally(Expr::col(deliveries::Column::Status))
                .into(),
        )
        .filter(deliveries::Column::OrganiserId.eq(organiser_id))
        .filter(deliveries::Column::GuestId.is_in(guest_ids.iter().copied()).or(naming_her))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// As [`forget`], for guest rows alone (the retention setting's erasure).
pub async fn forget_guests(conn: &impl ConnectionTrait, guest_ids: &[Uuid]) -> Result<u64> {
    if guest_ids.is_empty() {
        return Ok(0);
    }
    let result = deliveries::Entity::update_many()
        .col_expr(deliveries::Column::Payload, Expr::val(Option::<String>::None))
        .col_expr(deliveries::Column::Data, Expr::val("{}"))
        .col_expr(deliveries::Column::ResponseBody, Expr::val(Option::<String>::None))
        .col_expr(
            deliveries::Column::Status,
            Expr::case(deliveries::Column::Status.eq(DeliveryStatus::Pending), DeliveryStatus::Skipped.as_str())
                .finally(Expr::col(deliveries::Column::Status))
                .into(),
        )
        .filter(deliveries::Column::GuestId.is_in(guest_ids.iter().copied()))
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}
