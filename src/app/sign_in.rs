//! Organisers' sign-in: one-time links sent by email (or printed by the
//! command line) and the browser sessions they open.

use uuid::Uuid;

use super::{App, AppError, Happening, OneTimeLink, Result};
use crate::domain::email_address::EmailAddress;
use crate::domain::event::Language;
use crate::domain::token::login_token;
use crate::storage::organisers::{self, Organiser};
use crate::storage::sessions::MAX_LIVE_LINKS;
use crate::storage::{self};

/// Sends a sign-in link to the organiser with this address, if there is
/// one; says nothing either way, so the form tells nobody who has an account.
pub async fn request_link(app: &App, email: &EmailAddress, language: Language) -> Result<()> {
    let Some(organiser) = organisers::find_by_email(&*app.db, email).await? else {
        tracing::info!("a sign-in link was asked for an unknown address");
        return Ok(());
    };
    let now = app.now();
    let mut work = app.begin().await?;
    // A few live links at most: the form must not become a way to flood her inbox.
    if storage::sessions::live_links(&*work, organiser.id, now).await? >= MAX_LIVE_LINKS {
        tracing::info!(organiser_id = %organiser.id, "sign-in link asked again too often; none sent");
        return Ok(());
    }
    let id = storage::sessions::create_login_link(&*work, organiser.id, now).await?;
    // Hers if she chose one; else the page's she asked from.
    let language = organiser.writes_in(language);
    let queued = storage::outbox::enqueue_login_link(&*work, &organiser, id, language, now).await?;
    work.queued(queued);
    work.happened(Happening::SignInLinkSent { organiser: organiser.id });
    work.commit(app).await
}

/// A new sign-in link for the organiser with this address, to hand over
/// directly (the command line prints it): the token, not the URL.
pub async fn new_link_token(app: &App, email: &EmailAddress) -> Result<(Organiser, String)> {
    let organiser =
        organisers::find_by_email(&*app.db, email).await?.ok_or(AppError::NotFound(storage::Missing::Organiser))?;
    let work = app.begin().await?;
    let id = storage::sessions::create_login_link(&*work, organiser.id, app.now()).await?;
    work.commit(app).await?;
    Ok((organiser, login_token(&app.link_key, id)))
}

/// Whether the link can still be used, without using it (for the page that
/// shows the sign-in button).
pub async fn link_usable(app: &App, id: Uuid) -> Result<bool> {
    Ok(storage::sessions::login_link_usable(&app.db, id, app.now()).await?)
}

/// Uses the link, once, and opens a session: returns the session's token.
/// `language`, her browser's, becomes her emails' if she has none yet.
pub async fn sign_in(app: &App, link_id: Uuid, language: Option<Language>) -> Result<String> {
    let now = app.now();
    let mut work = app.begin().await?;
    let organiser_id = storage::sessions::use_login_link(&*work, link_id, now)
        .await?
        .ok_or(AppError::LinkSpent { link: OneTimeLink::SignIn, expired: false })?;
    if let Some(language) = language {
        organisers::adopt_language(&*work, organiser_id, language).await?;
    }
    let session = storage::sessions::create_session(&*work, organiser_id, now).await?;
    work.happened(Happening::SignedIn { organiser: organiser_id });
    work.commit(app).await?;
    Ok(session)
}

/// The session a cookie holds, with its organiser, if it is current.
pub async fn session(app: &App, token: &str) -> Result<Option<(Uuid, Organiser)>> {
    Ok(storage::sessions::find_session(&app.db, token, app.now()).await?)
}

/// Signs out: the cookie's session stops working at once.
pub async fn sign_out(app: &App, token: &str) -> Result<()> {
    Ok(storage::sessions::end_session(&app.db, token).await?)
}
