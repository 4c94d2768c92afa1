//! Addresses that asked one organiser for no more mail.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::entities::unsubscribes;
use super::error::Result;

pub async fn add(conn: &impl ConnectionTrait, organiser_id: Uuid, email: &str, now: DateTime<Utc>) -> Result<()> {
    unsubscribes::Entity::insert(unsubscribes::ActiveModel {
        organiser_id: Set(organiser_id),
        email: Set(email.to_owned()),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([unsubscribes::Column::OrganiserId, unsubscribes::Column::Email]).do_nothing().to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

pub async fn contains(conn: &impl ConnectionTrait, organiser_id: Uuid, email: &str) -> Result<bool> {
    Ok(unsubscribes::Entity::find()
        .filter(unsubscribes::Column::OrganiserId.eq(organiser_id))
        .filter(unsubscribes::Column::Email.eq(email))
        .one(conn)
        .await?
        .is_some())
}

/// Which of these addresses unsubscribed from the organiser.
pub async fn among(conn: &impl ConnectionTrait, organiser_id: Uuid, emails: &[String]) -> Result<Vec<String>> {
    if emails.is_empty() {
        return Ok(Vec::new());
    }
    Ok(unsubscribes::Entity::find()
        .filter(unsubscribes::Column::OrganiserId.eq(organiser_id))
        .filter(unsubscribes::Column::Email.is_in(emails.iter().cloned()))
        .all(conn)
        .await?
        .into_iter()
        .map(|row| row.email)
        .collect())
}
