//! Organisers' sign-in: one-time links (usable once, for minutes) and the
//! browser sessions they open. A link's token is a MAC over its id (see
//! `domain::token::login_token`), so nothing secret is stored for it; a
//! session's token is random and stored as a hash.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::entities::{login_links, sessions};
use super::error::{Missing, Result, StorageError};
use super::organisers::{self, Organiser};
use crate::domain::token::{hash_secret, new_session_token};

/// How long a sign-in link works.
pub const LOGIN_LINK_VALIDITY: Duration = Duration::minutes(15);
/// Unused, unexpired links one organiser may have at once.
pub const MAX_LIVE_LINKS: u64 = 3;
/// How long a session lasts without signing in again.
pub const SESSION_VALIDITY: Duration = Duration::days(14);

/// A new sign-in link for this organiser (its id; the token derives from it).
pub async fn create_login_link(
    db: &impl sea_orm::ConnectionTrait,
    organiser_id: Uuid,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    login_links::Entity::insert(login_links::ActiveModel {
        id: Set(id),
        organiser_id: Set(organiser_id),
        created_at: Set(now),
        expires_at: Set(now + LOGIN_LINK_VALIDITY),
        used_at: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

/// Links of this organiser not used and not expired.
pub async fn live_links(conn: &impl ConnectionTrait, organiser_id: Uuid, now: DateTime<Utc>) -> Result<u64> {
    Ok(login_links::Entity::find()
        .filter(login_links::Column::OrganiserId.eq(organiser_id))
        .filter(login_links::Column::UsedAt.is_null())
        .filter(login_links::Column::ExpiresAt.gt(now))
        .count(conn)
        .await?)
}

/// Whether the link can still be used, without using it (for the page that
/// shows the sign-in button).
pub async fn login_link_usable(db: &DatabaseConnection, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    let link = login_links::Entity::find_by_id(id).one(db).await?;
    Ok(link.is_some_and(|link| link.used_at.is_none() && link.expires_at > now))
}

/// Uses the link, once: the one conditional UPDATE that marks it used
/// decides, so two clicks racing cannot both sign in. Returns its organiser,
/// or `None` if it was used already or has expired.
pub async fn use_login_link(conn: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> Result<Option<Uuid>> {
    let used = login_links::Entity::update_many()
        .col_expr(login_links::Column::UsedAt, Expr::val(now))
        .filter(login_links::Column::Id.eq(id))
        .filter(login_links::Column::UsedAt.is_null())
        .filter(login_links::Column::ExpiresAt.gt(now))
        .exec(conn)
        .await?;
    if used.rows_affected == 0 {
        return Ok(None);
    }
    let link =
        login_links::Entity::find_by_id(id).one(conn).await?.ok_or(StorageError::NotFound(Missing::LoginLink))?;
    Ok(Some(link.organiser_id))
}

/// Opens a session; the token goes into the cookie and only its hash here.
pub async fn create_session(db: &impl ConnectionTrait, organiser_id: Uuid, now: DateTime<Utc>) -> Result<String> {
    let token = new_session_token();
    sessions::Entity::insert(sessions::ActiveModel {
        id: Set(Uuid::now_v7()),
        organiser_id: Set(organiser_id),
        token_hash: Set(hash_secret(&token)),
        created_at: Set(now),
        expires_at: Set(now + SESSION_VALIDITY),
    })
    .exec_without_returning(db)
    .await?;
    Ok(token)
}

/// The session a cookie holds, with its organiser, if it is current.
pub async fn find_session(
    db: &DatabaseConnection,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(Uuid, Organiser)>> {
    let Some(session) = sessions::Entity::find()
        .filter(sessions::Column::TokenHash.eq(hash_secret(token)))
        .filter(sessions::Column::ExpiresAt.gt(now))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let organiser = organisers::find_many(db, [session.organiser_id]).await?.pop();
    Ok(organiser.map(|organiser| (session.id, organiser)))
}

/// Signs out: the cookie's session stops working at once.
pub async fn end_session(db: &DatabaseConnection, token: &str) -> Result<()> {
    sessions::Entity::delete_many().filter(sessions::Column::TokenHash.eq(hash_secret(token))).exec(db).await?;
    Ok(())
}
