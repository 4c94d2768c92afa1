//! An organiser's account: who an API key belongs to, her keys, and how
//! she hears about answers.

use uuid::Uuid;

use super::{App, AppError, Result};
use crate::domain::text::bounded;
use crate::domain::token::ApiKey;
use crate::storage::organisers::{self, KeySummary, Notifications, Organiser};
use crate::storage::{self, Missing};

/// Longest key label, in characters.
pub const MAX_KEY_LABEL: usize = 100;

/// The organiser a presented API key belongs to, if it is hers and live.
pub async fn authenticate(app: &App, presented: &str) -> Result<Option<Organiser>> {
    let Some(hash) = ApiKey::hash_of_presented(presented) else { return Ok(None) };
    if let Some(organiser) = app.keys.get(&hash) {
        return Ok(Some(organiser));
    }
    let found = organisers::find_by_key_hash(&app.db, &hash).await?;
    if let Some(organiser) = &found {
        app.keys.remember(hash, organiser.clone());
    }
    Ok(found)
}

/// Her API keys, oldest first (never the keys themselves).
pub async fn api_keys(app: &App, organiser_id: Uuid) -> Result<Vec<KeySummary>> {
    Ok(organisers::list_api_keys(&app.db, organiser_id).await?)
}

/// A new key, returned in clear exactly once. A blank label becomes
/// `default_label`.
pub async fn create_api_key(app: &App, organiser_id: Uuid, label: &str, default_label: &str) -> Result<ApiKey> {
    let label = bounded(label, 0, MAX_KEY_LABEL, false).map_err(|problem| AppError::field("label", problem))?;
    let label = if label.is_empty() { default_label.to_owned() } else { label };
    Ok(organisers::create_api_key(&app.db, organiser_id, &label, app.now()).await?)
}

/// Revokes one of her keys; a key of someone else's, or revoked already, is
/// not found.
pub async fn revoke_api_key(app: &App, organiser_id: Uuid, key_id: Uuid) -> Result<()> {
    if organisers::revoke_api_key(&app.db, organiser_id, key_id, app.now()).await? {
        app.keys.forget_organiser(organiser_id);
        Ok(())
    } else {
        Err(AppError::NotFound(Missing::ApiKey))
    }
}

/// The language of her emails from now on: sign-in links, team
/// invitations, venue summaries, notes and digests.
pub async fn set_language(app: &App, organiser_id: Uuid, language: crate::domain::event::Language) -> Result<()> {
    storage::organisers::set_language(&*app.db, organiser_id, language).await?;
    // Her key's cached organiser carries her language: read it afresh.
    app.keys.forget_organiser(organiser_id);
    Ok(())
}

/// How she hears about answers from now on.
pub async fn set_notifications(app: &App, organiser_id: Uuid, notifications: Notifications) -> Result<()> {
    storage::organisers::set_notifications(&app.db, organiser_id, notifications).await?;
    app.keys.forget_organiser(organiser_id);
    Ok(())
}
