//! A guest's invitation by her token, read in one statement with what the
//! doors that serve her would otherwise read in statements of their own:
//! her page and her answers are the hot paths.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QuerySelect, QueryTrait,
};

use super::entities::{events, guests, organisers};
use super::error::{Missing, Result, StorageError};
use super::organisers::Notifications;
use crate::domain::event::Event;
use crate::domain::guest::Guest;
use crate::domain::webhook::WebhookType;

/// The organiser who invites her.
#[derive(Debug, Clone, Default)]
pub struct Host {
    pub name: String,
    pub email: String,
}

/// Her invitation: her row, her event's, and four facts about them.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub guest: Guest,
    pub event: Event,
    /// The organiser who invites her, as her page and calendar name her.
    pub host: Host,
    /// Where a note about her answer goes: the organiser's address if she
    /// wants a note for each answer, else none.
    pub note_to: Option<String>,
    /// Whether anyone of the event other than her is on the waiting list.
    pub others_waiting: bool,
    /// Whether a webhook endpoint of the organiser listens to answers.
    pub answers_heard: bool,
}

/// An index seek (`idx_guests_waiting`, of the waiting alone).
pub(super) const OTHERS_WAITING: &str = r#"EXISTS (SELECT 1 FROM "guests" AS "w" WHERE "w"."event_id" = "guests"."event_id" AND "w"."waitlisted_at" IS NOT NULL AND "w"."id" <> "guests"."id")"#;

/// The invitation whose token has this hash.
pub async fn by_token(conn: &impl ConnectionTrait, token_hash: &str) -> Result<Invitation> {
    let statement = guests::Entity::find()
        .filter(guests::Column::TokenHash.eq(token_hash))
        .find_also_related(events::Entity)
        .join(
            JoinType::InnerJoin,
            events::Entity::belongs_to(organisers::Entity)
                .from(events::Column::OrganiserId)
                .to(organisers::Column::Id)
                .into(),
        )
        .expr_as(Expr::col((organisers::Entity, organisers::Column::Name)), "host_name")
        .expr_as(Expr::col((organisers::Entity, organisers::Column::Email)), "host_email")
        .expr_as(Expr::col((organisers::Entity, organisers::Column::Notifications)), "notifications")
        .expr_as(Expr::cust(OTHERS_WAITING), "others_waiting")
        .expr_as(super::webhooks::heard_by_events_organiser(WebhookType::GuestAnswered), "answers_heard")
        .build(conn.get_database_backend());
    let row = conn.query_one_raw(statement).await?.ok_or(StorageError::NotFound(Missing::Invitation))?;
    // The prefixes `find_also_related` gives each table's columns.
    let guest = guests::Model::from_query_result(&row, "A_")?;
    let event = events::Model::from_query_result(&row, "B_")?;
    let host = Host { name: row.try_get("", "host_name")?, email: row.try_get("", "host_email")? };
    let wants_each = row.try_get::<Notifications>("", "notifications")? == Notifications::Each;
    Ok(Invitation {
        guest: super::guests::to_domain(guest)?,
        event: super::events::to_domain(event)?,
        note_to: wants_each.then(|| host.email.clone()),
        host,
        others_waiting: row.try_get("", "others_waiting")?,
        answers_heard: row.try_get("", "answers_heard")?,
    })
}
