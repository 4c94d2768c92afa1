//! Organisers' sign-in: one-time links (usable once, for minutes) and the
//! browser sessions they open. A link's token is a MAC over its id (see
//! `domain::token::login_token`), so nothing secret is stored for it; a
//! session's token is random and stored as a hash.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::entities::{login_links, outbox, sessions};
use super::organisers::{self, Organiser};
use super::{Db, begin_write};
use crate::domain::email_address::EmailAddress;
use crate::domain::event::Language;
use crate::domain::mail::MailKind;
use crate::domain::token::{hash_secret, new_session_token};
use crate::error::{ApiError, Result};

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

/// Sends a sign-in link to the organiser with this address, if there is
/// one; says nothing either way, so the form tells nobody who has an account.
pub async fn request_login_link(db: &Db, email: &EmailAddress, language: Language, now: DateTime<Utc>) -> Result<()> {
    let Some(organiser) = organisers::find_by_email(&**db, email).await? else {
        tracing::info!("a sign-in link was asked for an unknown address");
        return Ok(());
    };
    let tx = begin_write(db).await?;
    // A few live links at most: the form must not become a way to flood her inbox.
    let live = login_links::Entity::find()
        .filter(login_links::Column::OrganiserId.eq(organiser.id))
        .filter(login_links::Column::UsedAt.is_null())
        .filter(login_links::Column::ExpiresAt.gt(now))
        .count(&*tx)
        .await?;
    if live >= MAX_LIVE_LINKS {
        tracing::info!(organiser_id = %organiser.id, "sign-in link asked again too often; none sent");
        return Ok(());
    }
    let id = create_login_link(&*tx, organiser.id, now).await?;
    outbox::Entity::insert(outbox::ActiveModel {
        event_id: Set(None),
        guest_id: Set(None),
        organiser_id: Set(organiser.id),
        subject_id: Set(id),
        kind: Set(MailKind::LoginLink.as_str().to_owned()),
        slot: Set(String::new()),
        recipient: Set(organiser.email.to_string()),
        payload: Set(serde_json::json!({ "lang": language.as_str() }).to_string()),
        due_at: Set(now),
        status: Set("pending".to_owned()),
        attempts: Set(0),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([outbox::Column::SubjectId, outbox::Column::Kind, outbox::Column::Slot])
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&*tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the link can still be used, without using it (for the page that
/// shows the sign-in button).
pub async fn login_link_usable(db: &DatabaseConnection, id: Uuid, now: DateTime<Utc>) -> Result<bool> {
    let link = login_links::Entity::find_by_id(id).one(db).await?;
    Ok(link.is_some_and(|link| link.used_at.is_none() && link.expires_at > now))
}

/// Uses the link, once: the one conditional UPDATE that marks it used
/// decides, so two clicks racing cannot both sign in.
pub async fn consume_login_link(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<Uuid> {
    let tx = begin_write(db).await?;
    let used = login_links::Entity::update_many()
        .col_expr(login_links::Column::UsedAt, Expr::val(now))
        .filter(login_links::Column::Id.eq(id))
        .filter(login_links::Column::UsedAt.is_null())
        .filter(login_links::Column::ExpiresAt.gt(now))
        .exec(&*tx)
        .await?;
    if used.rows_affected == 0 {
        return Err(ApiError::gone("login_link_used", "this sign-in link was already used or has expired"));
    }
    let link = login_links::Entity::find_by_id(id).one(&*tx).await?.ok_or(ApiError::NotFound("sign-in link"))?;
    tx.commit().await?;
    Ok(link.organiser_id)
}

/// Opens a session; the token goes into the cookie and only its hash here.
pub async fn create_session(db: &DatabaseConnection, organiser_id: Uuid, now: DateTime<Utc>) -> Result<String> {
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
