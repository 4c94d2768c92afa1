//! Open registrations as rows: requests from an event's public page and
//! their confirmations (the rules are `app::registrations`).

use chrono::{DateTime, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter};
use uuid::Uuid;

use super::entities::registrations;
use super::error::{Missing, Result, StorageError};
use crate::domain::email_address::EmailAddress;
use crate::domain::event::Language;
use crate::domain::guest::NewGuest;
use crate::domain::question::Answers;

/// A registration awaiting (or past) confirmation.
#[derive(Debug, Clone)]
pub struct Registration {
    pub id: Uuid,
    pub event_id: Uuid,
    pub email: EmailAddress,
    pub name: String,
    pub language: Option<Language>,
    /// How many times a confirmation was asked for.
    pub requests: u32,
    pub requested_at: DateTime<Utc>,
    pub confirmed_at: Option<DateTime<Utc>>,
    /// Her answers to the event's questions, checked when she asked.
    pub questions: Answers,
}

fn to_domain(row: registrations::Model) -> anyhow::Result<Registration> {
    let language = row.language.as_deref().map(Language::parse).transpose().map_err(|e| anyhow::anyhow!(e))?;
    Ok(Registration {
        id: row.id,
        event_id: row.event_id,
        email: EmailAddress::from_stored(row.email),
        name: row.name,
        language,
        requests: row.requests as u32,
        requested_at: row.requested_at,
        confirmed_at: row.confirmed_at,
        questions: super::guests::answers_of(&row.question_answers),
    })
}

/// The registration of this address for the event, if any.
pub async fn find_by_address(
    conn: &impl ConnectionTrait,
    event_id: Uuid,
    email: &EmailAddress,
) -> Result<Option<Registration>> {
    let row = registrations::Entity::find()
        .filter(registrations::Column::EventId.eq(event_id))
        .filter(registrations::Column::Email.eq(email.as_str()))
        .one(conn)
        .await?;
    Ok(row.map(to_domain).transpose()?)
}

/// Records a first request; returns its id.
pub async fn insert(
    conn: &impl ConnectionTrait,
    event_id: Uuid,
    person: &NewGuest,
    questions: &Answers,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    registrations::ActiveModel {
        id: Set(id),
        event_id: Set(event_id),
        email: Set(person.email.as_str().to_owned()),
        name: Set(person.name.clone()),
        language: Set(person.language.map(|l| l.as_str().to_owned())),
        requests: Set(1),
        created_at: Set(now),
        requested_at: Set(now),
        confirmed_at: Set(None),
        question_answers: Set(answers_json(questions)),
    }
    .insert(conn)
    .await?;
    Ok(id)
}

/// Records a new request for the same address: her name and language as
/// given now, one more request, and a fresh link (even after a confirmation).
pub async fn renew(
    conn: &impl ConnectionTrait,
    id: Uuid,
    person: &NewGuest,
    questions: &Answers,
    now: DateTime<Utc>,
) -> Result<u32> {
    let row =
        registrations::Entity::find_by_id(id).one(conn).await?.ok_or(StorageError::NotFound(Missing::Registration))?;
    let requests = row.requests + 1;
    let mut active = row.into_active_model();
    active.name = Set(person.name.clone());
    active.language = Set(person.language.map(|l| l.as_str().to_owned()));
    active.requests = Set(requests);
    active.requested_at = Set(now);
    active.confirmed_at = Set(None);
    active.question_answers = Set(answers_json(questions));
    active.update(conn).await?;
    Ok(requests as u32)
}

pub async fn find(conn: &impl ConnectionTrait, id: Uuid) -> Result<Registration> {
    let row =
        registrations::Entity::find_by_id(id).one(conn).await?.ok_or(StorageError::NotFound(Missing::Registration))?;
    Ok(to_domain(row)?)
}

/// Marks the registration confirmed, once: false if it already was.
pub async fn mark_confirmed(conn: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    let updated = registrations::Entity::update_many()
        .col_expr(registrations::Column::ConfirmedAt, sea_orm::sea_query::Expr::val(now))
        .filter(registrations::Column::Id.eq(id))
        .filter(registrations::Column::ConfirmedAt.is_null())
        .exec(conn)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// Answers as stored: a JSON object by question key, written from checked values.
fn answers_json(answers: &Answers) -> String {
    serde_json::to_string(answers).unwrap_or_else(|_| "{}".to_owned())
}
