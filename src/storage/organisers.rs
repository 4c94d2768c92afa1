//! Organisers and their API keys.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Query;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::entities::{api_keys, organisers};
use crate::domain::email_address::EmailAddress;
use crate::domain::token::ApiKey;

/// An authenticated organiser, as handlers see her.
#[derive(Debug, Clone)]
pub struct Organiser {
    pub id: Uuid,
    pub name: String,
    pub email: EmailAddress,
}

/// Why an organiser could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateOrganiserError {
    #[error("an organiser with the email {0} already exists")]
    EmailTaken(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Creates an organiser with a first API key, returned in clear exactly once.
pub async fn create(
    db: &super::Db,
    name: &str,
    email: &EmailAddress,
    now: DateTime<Utc>,
) -> Result<(Organiser, ApiKey), CreateOrganiserError> {
    let tx = super::begin_write(db).await.context("cannot start a transaction")?;
    let id = Uuid::now_v7();
    let inserted = organisers::Entity::insert(organisers::ActiveModel {
        id: Set(id),
        name: Set(name.to_owned()),
        email: Set(email.as_str().to_owned()),
        created_at: Set(now),
    })
    .exec(&*tx)
    .await;
    if let Err(err) = inserted {
        return Err(if super::is_unique_violation(&err) {
            CreateOrganiserError::EmailTaken(email.to_string())
        } else {
            anyhow::Error::new(err).context("cannot insert the organiser").into()
        });
    }
    let key = insert_api_key(&*tx, id, "first key", now).await?;
    tx.commit().await.context("cannot commit the new organiser")?;
    Ok((Organiser { id, name: name.to_owned(), email: email.clone() }, key))
}

async fn insert_api_key(
    conn: &impl sea_orm::ConnectionTrait,
    organiser_id: Uuid,
    label: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<ApiKey> {
    let key = ApiKey::generate();
    api_keys::Entity::insert(api_keys::ActiveModel {
        id: Set(Uuid::now_v7()),
        organiser_id: Set(organiser_id),
        key_hash: Set(key.hash()),
        label: Set(label.to_owned()),
        created_at: Set(now),
        revoked_at: Set(None),
    })
    .exec(conn)
    .await
    .context("cannot insert the API key")?;
    Ok(key)
}

/// The organiser holding the (unrevoked) key with this hash, in one query.
pub async fn find_by_key_hash(db: &DatabaseConnection, key_hash: &str) -> anyhow::Result<Option<Organiser>> {
    let holder = Query::select()
        .column(api_keys::Column::OrganiserId)
        .from(api_keys::Entity)
        .and_where(api_keys::Column::KeyHash.eq(key_hash))
        .and_where(api_keys::Column::RevokedAt.is_null())
        .to_owned();
    let found = organisers::Entity::find()
        .filter(organisers::Column::Id.in_subquery(holder))
        .one(db)
        .await
        .context("cannot look up the API key")?;
    Ok(found.map(|row| Organiser { id: row.id, name: row.name, email: EmailAddress::from_stored(row.email) }))
}
