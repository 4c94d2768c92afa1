//! Organisers and their API keys.

use anyhow::Context;
use chrono::{DateTime, Utc};
use sea_orm::ActiveModelTrait;
use sea_orm::entity::prelude::StringLen;
use sea_orm::sea_query::Query;
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::entities::{api_keys, organisers};
use super::error::{Constraint, StorageError};
use crate::domain::email_address::EmailAddress;
use crate::domain::event::Language;
use crate::domain::token::ApiKey;

/// An authenticated organiser, as handlers see her.
#[derive(Debug, Clone)]
pub struct Organiser {
    pub id: Uuid,
    pub name: String,
    pub email: EmailAddress,
    pub notifications: Notifications,
    /// The language of the emails she gets; none until known.
    pub language: Option<Language>,
}

impl Organiser {
    /// The language her emails are written in: hers, else `fallback`
    /// (the event's, or the page's she asked from).
    pub fn writes_in(&self, fallback: Language) -> Language {
        self.language.unwrap_or(fallback)
    }
}

/// How an organiser hears about answers. Stored by name; a stored value
/// outside these is an error when read, never a silent default.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
    sea_orm::EnumIter,
    sea_orm::DeriveActiveEnum,
)]
#[serde(rename_all = "lowercase")]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)", rename_all = "lowercase")]
pub enum Notifications {
    /// A note for each answer with a comment or a change of mind.
    Each,
    /// One digest a day per event with news.
    Digest,
    /// Nothing.
    Off,
}

impl Notifications {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Each => "each",
            Self::Digest => "digest",
            Self::Off => "off",
        }
    }
}

fn to_domain(row: organisers::Model) -> Organiser {
    Organiser {
        id: row.id,
        name: row.name,
        email: EmailAddress::from_stored(row.email),
        notifications: row.notifications,
        // The column's CHECK admits only the languages there are.
        language: row.language.as_deref().and_then(|raw| Language::parse(raw).ok()),
    }
}

/// Creates an organiser with a first API key labelled `key_label`, the key
/// returned in clear exactly once.
pub async fn create(
    db: &super::Db,
    name: &str,
    email: &EmailAddress,
    key_label: &str,
    now: DateTime<Utc>,
) -> Result<(Organiser, ApiKey), StorageError> {
    let tx = super::begin_write(db).await.context("cannot start a transaction")?;
    let organiser = insert(&*tx, name, email, now).await?;
    let key = insert_api_key(&*tx, organiser.id, key_label, now).await?;
    tx.commit().await.context("cannot commit the new organiser")?;
    Ok((organiser, key))
}

/// Inserts an organiser, without an API key, in the caller's transaction.
pub async fn insert(
    conn: &impl sea_orm::ConnectionTrait,
    name: &str,
    email: &EmailAddress,
    now: DateTime<Utc>,
) -> Result<Organiser, StorageError> {
    let id = Uuid::now_v7();
    let inserted = organisers::Entity::insert(organisers::ActiveModel {
        id: Set(id),
        name: Set(name.to_owned()),
        email: Set(email.as_str().to_owned()),
        created_at: Set(now),
        notifications: Set(Notifications::Each),
        retention_days: Set(None),
        language: Set(None),
    })
    .exec_without_returning(conn)
    .await;
    if let Err(err) = inserted {
        return Err(if super::is_unique_violation(&err) {
            StorageError::Conflict(Constraint::OrganiserAddress)
        } else {
            anyhow::Error::new(err).context("cannot insert the organiser").into()
        });
    }
    Ok(Organiser {
        id,
        name: name.to_owned(),
        email: email.clone(),
        notifications: Notifications::Each,
        language: None,
    })
}

/// Sets the language of her emails (her choice on the dashboard or the API).
pub async fn set_language(conn: &impl sea_orm::ConnectionTrait, id: Uuid, language: Language) -> anyhow::Result<()> {
    organisers::Entity::update_many()
        .col_expr(organisers::Column::Language, sea_orm::sea_query::Expr::val(language.as_str()))
        .filter(organisers::Column::Id.eq(id))
        .exec(conn)
        .await
        .context("cannot set the organiser's language")?;
    Ok(())
}

/// Keeps `language` as hers unless she already has one (what her browser
/// says the first time she signs in or joins a team; her choice stays).
pub async fn adopt_language(conn: &impl sea_orm::ConnectionTrait, id: Uuid, language: Language) -> anyhow::Result<()> {
    organisers::Entity::update_many()
        .col_expr(organisers::Column::Language, sea_orm::sea_query::Expr::val(language.as_str()))
        .filter(organisers::Column::Id.eq(id))
        .filter(organisers::Column::Language.is_null())
        .exec(conn)
        .await
        .context("cannot keep the organiser's language")?;
    Ok(())
}

/// Whether any organiser exists (the instance has been set up).
pub async fn any(conn: &impl sea_orm::ConnectionTrait) -> anyhow::Result<bool> {
    Ok(organisers::Entity::find()
        .select_only()
        .column(organisers::Column::Id)
        .limit(1)
        .into_tuple::<Uuid>()
        .one(conn)
        .await
        .context("cannot look for organisers")?
        .is_some())
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
    Ok(found.map(to_domain))
}

/// Up to `limit` organisers, oldest first: enough to tell none, one and several apart.
pub async fn first(db: &DatabaseConnection, limit: u64) -> anyhow::Result<Vec<Organiser>> {
    let rows = organisers::Entity::find()
        .order_by_asc(organisers::Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await
        .context("cannot list the organisers")?;
    Ok(rows.into_iter().map(to_domain).collect())
}

pub async fn find_many(
    db: &impl sea_orm::ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> anyhow::Result<Vec<Organiser>> {
    let rows = organisers::Entity::find().filter(organisers::Column::Id.is_in(ids)).all(db).await?;
    Ok(rows.into_iter().map(to_domain).collect())
}

/// Whether she has anything of her own: an event, a series, an API key
/// (revoked ones count: she made it) or a webhook endpoint.
pub async fn owns_anything(db: &impl sea_orm::ConnectionTrait, id: Uuid) -> anyhow::Result<bool> {
    use super::entities::{events, series, webhook_endpoints};
    let owned = events::Entity::find().filter(events::Column::OrganiserId.eq(id)).one(db).await?.is_some()
        || series::Entity::find().filter(series::Column::OrganiserId.eq(id)).one(db).await?.is_some()
        || api_keys::Entity::find().filter(api_keys::Column::OrganiserId.eq(id)).one(db).await?.is_some()
        || webhook_endpoints::Entity::find()
            .filter(webhook_endpoints::Column::OrganiserId.eq(id))
            .one(db)
            .await?
            .is_some();
    Ok(owned)
}

pub async fn set_notifications(db: &DatabaseConnection, id: Uuid, notifications: Notifications) -> anyhow::Result<()> {
    organisers::ActiveModel { id: Set(id), notifications: Set(notifications), ..Default::default() }
        .update(db)
        .await
        .context("cannot save the notification choice")?;
    Ok(())
}

/// Events with guest answers between `since` and `until` whose organiser
/// wants a digest.
pub async fn events_wanting_digest(
    db: &DatabaseConnection,
    since: chrono::DateTime<Utc>,
    until: chrono::DateTime<Utc>,
) -> anyhow::Result<Vec<(crate::domain::event::Event, Organiser)>> {
    use super::entities::{answer_changes, events};
    let changed = Query::select()
        .column(answer_changes::Column::EventId)
        .from(answer_changes::Entity)
        .and_where(answer_changes::Column::ChangedAt.gt(since))
        .and_where(answer_changes::Column::ChangedAt.lte(until))
        .and_where(answer_changes::Column::Channel.eq("guest"))
        .to_owned();
    let wanting = Query::select()
        .column(organisers::Column::Id)
        .from(organisers::Entity)
        .and_where(organisers::Column::Notifications.eq(Notifications::Digest))
        .to_owned();
    let rows = events::Entity::find()
        .filter(events::Column::Id.in_subquery(changed))
        .filter(events::Column::OrganiserId.in_subquery(wanting))
        .all(db)
        .await?;
    let mut result = Vec::new();
    for row in rows {
        let event = super::events::to_domain(row)?;
        if let Some(organiser) = find_many(db, [event.organiser_id]).await?.pop() {
            result.push((event, organiser));
        }
    }
    Ok(result)
}

/// The organiser with this address, if any (sign-in, the command line's `--organiser`).
pub async fn find_by_email(
    db: &impl sea_orm::ConnectionTrait,
    email: &EmailAddress,
) -> anyhow::Result<Option<Organiser>> {
    let found = organisers::Entity::find()
        .filter(organisers::Column::Email.eq(email.as_str()))
        .one(db)
        .await
        .context("cannot look up the organiser")?;
    Ok(found.map(to_domain))
}

/// One of her API keys, as the dashboard lists them (never the key itself).
#[derive(Debug, Clone)]
pub struct KeySummary {
    pub id: Uuid,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

pub async fn list_api_keys(db: &DatabaseConnection, organiser_id: Uuid) -> anyhow::Result<Vec<KeySummary>> {
    let rows = api_keys::Entity::find()
        .filter(api_keys::Column::OrganiserId.eq(organiser_id))
        .order_by_asc(api_keys::Column::CreatedAt)
        .all(db)
        .await
        .context("cannot list the API keys")?;
    Ok(rows
        .into_iter()
        .map(|row| KeySummary { id: row.id, label: row.label, created_at: row.created_at, revoked_at: row.revoked_at })
        .collect())
}

/// A new key for her, returned in clear exactly once.
pub async fn create_api_key(
    db: &DatabaseConnection,
    organiser_id: Uuid,
    label: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<ApiKey> {
    insert_api_key(db, organiser_id, label, now).await
}

/// Revokes one of her keys; `false` when she has no such key.
pub async fn revoke_api_key(
    db: &DatabaseConnection,
    organiser_id: Uuid,
    key_id: Uuid,
    now: DateTime<Utc>,
) -> anyhow::Result<bool> {
    let result = api_keys::Entity::update_many()
        .col_expr(api_keys::Column::RevokedAt, sea_orm::sea_query::Expr::val(now))
        .filter(api_keys::Column::Id.eq(key_id))
        .filter(api_keys::Column::OrganiserId.eq(organiser_id))
        .filter(api_keys::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .context("cannot revoke the API key")?;
    Ok(result.rows_affected == 1)
}

/// Her retention setting: erase guests' personal data this many days after
/// each event ends; `None` keeps it.
pub async fn set_retention(db: &DatabaseConnection, id: Uuid, days: Option<u32>) -> anyhow::Result<()> {
    organisers::ActiveModel {
        id: Set(id),
        retention_days: Set(days.map(|d| i32::try_from(d).unwrap_or(i32::MAX))),
        ..Default::default()
    }
    .update(db)
    .await
    .context("cannot save the retention setting")?;
    Ok(())
}

pub async fn retention(db: &impl sea_orm::ConnectionTrait, id: Uuid) -> anyhow::Result<Option<u32>> {
    let row = organisers::Entity::find_by_id(id).one(db).await?.context("no such organiser")?;
    Ok(row.retention_days.and_then(|d| u32::try_from(d).ok()))
}
