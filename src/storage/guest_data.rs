//! Everything held about one address at one organiser, read out (her export)
//! or erased. Erasure anonymises rather than deletes: guest rows and their
//! answer history stay, so the event's counts and charts do not move, but
//! names, addresses, comments and tokens are overwritten; what was queued
//! for her and not yet sent goes.

use chrono::{DateTime, Utc};
use rand::RngCore;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, Func, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ExprTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::entities::outbox::OutboxStatus;
use super::entities::{
    answer_changes, erasures, event_activity, events, guests, import_jobs, outbox, registrations, unsubscribes,
};
use super::error::Result;

/// What is held about an address at an organiser.
#[derive(Debug, Clone)]
pub struct Held {
    pub guests: Vec<(guests::Model, events::Model)>,
    pub answers: Vec<answer_changes::Model>,
    pub emails: Vec<outbox::Model>,
    pub registrations: Vec<registrations::Model>,
    pub unsubscribed_at: Option<DateTime<Utc>>,
}

fn organisers_events(organiser_id: Uuid) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(events::Column::Id)
        .from(events::Entity)
        .and_where(events::Column::OrganiserId.eq(organiser_id))
        .to_owned()
}

/// Reads everything held about `email` at `organiser_id`.
pub async fn held(conn: &impl ConnectionTrait, organiser_id: Uuid, email: &str) -> Result<Held> {
    let guests: Vec<(guests::Model, events::Model)> = guests::Entity::find()
        .filter(guests::Column::Email.eq(email))
        .filter(guests::Column::EventId.in_subquery(organisers_events(organiser_id)))
        .find_also_related(events::Entity)
        .order_by_asc(guests::Column::CreatedAt)
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|(guest, event)| event.map(|event| (guest, event)))
        .collect();
    let ids: Vec<Uuid> = guests.iter().map(|(g, _)| g.id).collect();
    let answers = answer_changes::Entity::find()
        .filter(answer_changes::Column::GuestId.is_in(ids.iter().copied()))
        .order_by_asc(answer_changes::Column::ChangedAt)
        .all(conn)
        .await?;
    let emails = outbox::Entity::find()
        .filter(outbox::Column::OrganiserId.eq(organiser_id))
        .filter(outbox::Column::GuestId.is_in(ids.iter().copied()).or(outbox::Column::Recipient.eq(email)))
        .order_by_asc(outbox::Column::Id)
        .all(conn)
        .await?;
    let registrations = registrations::Entity::find()
        .filter(registrations::Column::Email.eq(email))
        .filter(registrations::Column::EventId.in_subquery(organisers_events(organiser_id)))
        .order_by_asc(registrations::Column::CreatedAt)
        .all(conn)
        .await?;
    let unsubscribed_at = unsubscribes::Entity::find()
        .filter(unsubscribes::Column::OrganiserId.eq(organiser_id))
        .filter(unsubscribes::Column::Email.eq(email))
        .one(conn)
        .await?
        .map(|u| u.created_at);
    Ok(Held { guests, answers, emails, registrations, unsubscribed_at })
}

/// An address that is no one's and cannot receive mail (RFC 2606's
/// `.invalid`), unique per row as the guest list's constraint wants.
fn placeholder(id: Uuid) -> String {
    format!("erased-{}@erased.invalid", id.simple())
}

/// 32 random bytes in hex: a token hash no token has.
fn dead_hash() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Why an erasure happened, as recorded (never whom it concerned).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    Guest,
    Organiser,
    Retention,
}

impl Cause {
    fn as_str(self) -> &'static str {
        match self {
            Self::Guest => "guest",
            Self::Organiser => "organiser",
            Self::Retention => "retention",
        }
    }
}

/// Erases `email` at `organiser_id` inside the caller's transaction, and
/// records that it happened. Returns how many guest rows were anonymised.
pub async fn erase(
    conn: &impl ConnectionTrait,
    organiser_id: Uuid,
    email: &str,
    cause: Cause,
    now: DateTime<Utc>,
) -> Result<u64> {
    let held = held(conn, organiser_id, email).await?;
    let ids: Vec<Uuid> = held.guests.iter().map(|(g, _)| g.id).collect();
    anonymise_guests(conn, &ids, now).await?;
    forget_mail(conn, organiser_id, &ids, email).await?;
    for registration in &held.registrations {
        registrations::Entity::update_many()
            .col_expr(registrations::Column::Email, Expr::val(placeholder(registration.id)))
            .col_expr(registrations::Column::Name, Expr::val(""))
            .filter(registrations::Column::Id.eq(registration.id))
            .exec(conn)
            .await?;
    }
    // Her unsubscribe goes with her address: nothing of it may stay.
    unsubscribes::Entity::delete_many()
        .filter(unsubscribes::Column::OrganiserId.eq(organiser_id))
        .filter(unsubscribes::Column::Email.eq(email))
        .exec(conn)
        .await?;
    // An import's report names the rows it refused, by address.
    for column in [import_jobs::Column::Report, import_jobs::Column::Error] {
        import_jobs::Entity::update_many()
            .col_expr(column, Func::cust("REPLACE").arg(Expr::col(column)).arg(email).arg("erased").into())
            .filter(import_jobs::Column::OrganiserId.eq(organiser_id))
            .filter(column.like(format!("%{email}%")))
            .exec(conn)
            .await?;
    }
    super::webhooks::forget(conn, organiser_id, &ids, email).await?;
    erasures::Entity::insert(erasures::ActiveModel {
        id: Set(Uuid::new_v4()),
        organiser_id: Set(organiser_id),
        cause: Set(cause.as_str().to_owned()),
        guests: Set(i32::try_from(ids.len()).unwrap_or(i32::MAX)),
        erased_at: Set(now),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(ids.len() as u64)
}

/// Overwrites the guests' names, addresses, comments, answers to the
/// questions (a diet or a company says who she is) and tokens, keeping
/// their answers, seats and check-ins; their answer history loses its
/// comments and answers to the questions.
pub async fn anonymise_guests(conn: &impl ConnectionTrait, ids: &[Uuid], now: DateTime<Utc>) -> Result<()> {
    for id in ids {
        guests::Entity::update_many()
            .col_expr(guests::Column::Email, Expr::val(placeholder(*id)))
            .col_expr(guests::Column::Name, Expr::val(""))
            .col_expr(guests::Column::FirstName, Expr::val(""))
            .col_expr(guests::Column::Comment, Expr::val(""))
            .col_expr(guests::Column::QuestionAnswers, Expr::val("{}"))
            .col_expr(guests::Column::TokenHash, Expr::val(dead_hash()))
            .col_expr(guests::Column::TokenSalt, Expr::val(dead_hash()))
            .col_expr(guests::Column::ErasedAt, Expr::val(now))
            .filter(guests::Column::Id.eq(*id))
            .exec(conn)
            .await?;
    }
    answer_changes::Entity::update_many()
        .col_expr(answer_changes::Column::Comment, Expr::val(""))
        .col_expr(answer_changes::Column::QuestionAnswers, Expr::val("{}"))
        .filter(answer_changes::Column::GuestId.is_in(ids.iter().copied()))
        .exec(conn)
        .await?;
    // The team's history keeps what was done to her, not her address.
    event_activity::Entity::update_many()
        .col_expr(event_activity::Column::Subject, Expr::val(""))
        .filter(event_activity::Column::GuestId.is_in(ids.iter().copied()))
        .exec(conn)
        .await?;
    Ok(())
}

/// Her emails: those still to go are dropped; those gone keep their kind and
/// time, not her address. The organiser's notes about her lose their text.
async fn forget_mail(conn: &impl ConnectionTrait, organiser_id: Uuid, ids: &[Uuid], email: &str) -> Result<()> {
    let hers = outbox::Column::GuestId.is_in(ids.iter().copied()).or(outbox::Column::Recipient.eq(email));
    let about_her = outbox::Column::Payload.like(format!("%{}%", serde_json::Value::from(email)));
    outbox::Entity::delete_many()
        .filter(outbox::Column::OrganiserId.eq(organiser_id))
        .filter(outbox::Column::Status.is_in([OutboxStatus::Pending, OutboxStatus::Sending]))
        .filter(hers.clone().or(about_her.clone()))
        .exec(conn)
        .await?;
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Recipient, Expr::val("erased@erased.invalid"))
        .col_expr(outbox::Column::LastError, Expr::val(Option::<String>::None))
        .filter(outbox::Column::OrganiserId.eq(organiser_id))
        .filter(outbox::Column::Recipient.eq(email))
        .exec(conn)
        .await?;
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Payload, Expr::val("{}"))
        .filter(outbox::Column::OrganiserId.eq(organiser_id))
        .filter(about_her)
        .exec(conn)
        .await?;
    Ok(())
}

/// Events whose organiser keeps guests' personal data `retention_days`
/// after they end, whose time is up, and that still hold some: a batch.
pub async fn due_for_retention(conn: &impl ConnectionTrait, now: DateTime<Utc>, limit: u64) -> Result<Vec<Uuid>> {
    use sea_orm::QuerySelect;

    use super::entities::organisers;
    let keeping: Vec<(Uuid, Option<i32>)> = organisers::Entity::find()
        .select_only()
        .column(organisers::Column::Id)
        .column(organisers::Column::RetentionDays)
        .filter(organisers::Column::RetentionDays.is_not_null())
        .into_tuple()
        .all(conn)
        .await?;
    let mut due = Vec::new();
    for (organiser_id, days) in keeping {
        let Some(days) = days else { continue };
        let not_erased = Query::select()
            .column(guests::Column::EventId)
            .from(guests::Entity)
            .and_where(guests::Column::ErasedAt.is_null())
            .to_owned();
        let ids: Vec<Uuid> = events::Entity::find()
            .select_only()
            .column(events::Column::Id)
            .filter(events::Column::OrganiserId.eq(organiser_id))
            .filter(events::Column::EndsAt.lte(now - chrono::Duration::days(i64::from(days))))
            .filter(events::Column::Id.in_subquery(not_erased))
            .limit(limit)
            .into_tuple()
            .all(conn)
            .await?;
        due.extend(ids);
    }
    due.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(due)
}

/// The retention setting's erasure of one ended event: its guests are
/// anonymised as an erasure does, their mail and webhooks forgotten, its
/// registrations too. Their other events are not touched. Returns how many.
pub async fn erase_event(
    conn: &impl ConnectionTrait,
    organiser_id: Uuid,
    event_id: Uuid,
    now: DateTime<Utc>,
) -> Result<u64> {
    use sea_orm::QuerySelect;

    let ids: Vec<Uuid> = guests::Entity::find()
        .select_only()
        .column(guests::Column::Id)
        .filter(guests::Column::EventId.eq(event_id))
        .filter(guests::Column::ErasedAt.is_null())
        .into_tuple()
        .all(conn)
        .await?;
    anonymise_guests(conn, &ids, now).await?;
    outbox::Entity::delete_many()
        .filter(outbox::Column::GuestId.is_in(ids.iter().copied()))
        .filter(outbox::Column::Status.is_in([OutboxStatus::Pending, OutboxStatus::Sending]))
        .exec(conn)
        .await?;
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Recipient, Expr::val("erased@erased.invalid"))
        .col_expr(outbox::Column::LastError, Expr::val(Option::<String>::None))
        .filter(outbox::Column::GuestId.is_in(ids.iter().copied()))
        .exec(conn)
        .await?;
    // The organiser's own notes and digests about the event.
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Payload, Expr::val("{}"))
        .filter(outbox::Column::EventId.eq(event_id))
        .filter(outbox::Column::GuestId.is_null())
        .exec(conn)
        .await?;
    let registrations: Vec<Uuid> = registrations::Entity::find()
        .select_only()
        .column(registrations::Column::Id)
        .filter(registrations::Column::EventId.eq(event_id))
        .into_tuple()
        .all(conn)
        .await?;
    for id in registrations {
        registrations::Entity::update_many()
            .col_expr(registrations::Column::Email, Expr::val(placeholder(id)))
            .col_expr(registrations::Column::Name, Expr::val(""))
            .filter(registrations::Column::Id.eq(id))
            .exec(conn)
            .await?;
    }
    super::webhooks::forget_guests(conn, &ids).await?;
    erasures::Entity::insert(erasures::ActiveModel {
        id: Set(Uuid::new_v4()),
        organiser_id: Set(organiser_id),
        cause: Set(Cause::Retention.as_str().to_owned()),
        guests: Set(i32::try_from(ids.len()).unwrap_or(i32::MAX)),
        erased_at: Set(now),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(ids.len() as u64)
}
