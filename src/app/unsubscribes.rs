//! One-click unsubscribe from a guest's emails: no more mail from that
//! organiser to that address.

use super::{App, AppError, Happening, Result};
use crate::domain::event::Language;
use crate::domain::guest::Guest;
use crate::domain::token::verify_unsubscribe_token;
use crate::storage::organisers::Organiser;
use crate::storage::{self, Missing};

/// Whom an unsubscribe link concerns: the guest it was sent to, the
/// organiser it stops, and the language to speak to her in.
#[derive(Debug, Clone)]
pub struct UnsubscribeLink {
    pub guest: Guest,
    pub organiser: Organiser,
    pub language: Language,
}

/// Reads an unsubscribe link; changes nothing.
pub async fn link(app: &App, token: &str) -> Result<UnsubscribeLink> {
    let not_found = || AppError::NotFound(Missing::UnsubscribeLink);
    let guest_id = verify_unsubscribe_token(&app.link_key, token).ok_or_else(not_found)?;
    let guest = storage::guests::find_many(&app.db, &[guest_id]).await?.pop().ok_or_else(not_found)?;
    let event = storage::events::find_by_id(&*app.db, guest.event_id).await?;
    let organiser =
        storage::organisers::find_many(&*app.db, [event.organiser_id]).await?.pop().ok_or_else(not_found)?;
    let language = guest.language.unwrap_or(event.details.language);
    Ok(UnsubscribeLink { guest, organiser, language })
}

/// Unsubscribes the link's address from its organiser's mail. Twice is harmless.
pub async fn unsubscribe(app: &App, token: &str) -> Result<UnsubscribeLink> {
    let link = link(app, token).await?;
    let mut work = app.begin().await?;
    storage::unsubscribes::add(&*work, link.organiser.id, link.guest.email.as_str(), app.now()).await?;
    work.happened(Happening::Unsubscribed {
        organiser: link.organiser.id,
        guest: link.guest.id,
        email: link.guest.email.to_string(),
    });
    work.commit(app).await?;
    Ok(link)
}
